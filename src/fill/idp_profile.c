/* STUB: being written. */
typedef int idp_profile_stub_unused;
