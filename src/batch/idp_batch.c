/* STUB: being written. */
typedef int idp_batch_stub_unused;
