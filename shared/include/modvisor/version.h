/* version.h: modvisor's version and the guest kernel's release/vermagic. */
#ifndef MODVISOR_VERSION_H
#define MODVISOR_VERSION_H

#define MODVISOR_VERSION       "0.1.0"
/* What uname -r says in the guest; also the first word of vermagic. */
#define MODVISOR_UTS_RELEASE   "6.1.0-modvisor"
/* Built like Linux's VERMAGIC_STRING: release, then feature words. */
#define MODVISOR_VERMAGIC      MODVISOR_UTS_RELEASE " SMP mod_unload modversions "

#endif
