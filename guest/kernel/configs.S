/* configs.S: the kernel's configuration (build/guest/kernel.config.gz), embedded like Linux's kernel/configs.c. */
/*
 * The IKCFG_ST/IKCFG_ED markers around the gzip data are Linux's, so
 * scripts/extract-ikconfig finds the configuration in kernel.elf too.
 */
	.section .rodata, "a"
	.ascii "IKCFG_ST"
	.globl kernel_config_gz
kernel_config_gz:
	.incbin KCONFIG_GZ
	.globl kernel_config_gz_end
kernel_config_gz_end:
	.ascii "IKCFG_ED"
