/* init.h: __init/__exit section markers and module_init()/module_exit(). */
#ifndef _MV_SDK_LINUX_INIT_H
#define _MV_SDK_LINUX_INIT_H

#include <linux/compiler.h>

/*
 * Code and data used only while init runs go in .init.* sections: the loader
 * frees them after a successful init, as Linux does.  Exit code stays with
 * the module (.exit.text) because modules can be unloaded.
 */
#define __init      __section(".init.text") __cold
#define __initdata  __section(".init.data")
#define __initconst __section(".init.rodata")
#define __exit      __section(".exit.text") __cold
#define __exitdata  __section(".exit.data")

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

/*
 * module_init(fn): fn becomes the module's init_module, the symbol modpost
 * points .gnu.linkonce.this_module's init at.  fn returns 0 or -errno; a
 * negative value is what init_module(2) returns to the caller.
 */
#define module_init(initfn)						\
	static inline initcall_t __maybe_unused __inittest(void)	\
	{ return initfn; }						\
	int init_module(void) __attribute__((__copy__(initfn), __alias__(#initfn)))

/* module_exit(fn): fn becomes cleanup_module, run by delete_module(2). */
#define module_exit(exitfn)						\
	static inline exitcall_t __maybe_unused __exittest(void)	\
	{ return exitfn; }						\
	void cleanup_module(void) __attribute__((__copy__(exitfn), __alias__(#exitfn)))

#endif
