/* STUB: being written. */
typedef int idp_detect_stub_unused;
