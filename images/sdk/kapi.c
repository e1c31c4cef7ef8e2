/* kapi.c: every SDK header that declares the guest kernel's exports; modpost computes their CRCs from it. */
#include <linux/module.h>
