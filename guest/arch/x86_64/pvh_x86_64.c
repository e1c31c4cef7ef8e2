/* pvh_x86_64.c: boot through PVH (QEMU -kernel, libvirt <kernel>): the PC platform and a struct mv_bootinfo built from hvm_start_info. */
#include "arch.h"
#include "boot.h"
#include "mm.h"
#include "pc.h"
#include "platform.h"
#include "pvh.h"

#define PC_LOW_LIMIT   (4ULL << 30)     /* what the PVH entry maps 1:1 */
#define PC_TTY_ROWS    24
#define PC_TTY_COLS    80
#define PVH_CMDS_MAX   4096

/* What the VMM would have built; kmain takes it like the VMM's. */
static struct mv_bootinfo pvh_bootinfo;
static char pvh_cmdline[MV_CMDLINE_MAX];
static uint8_t pvh_cmds[PVH_CMDS_MAX];
static const char *const pvh_default_cmd[] = { "/bin/sh" };

const void *pc_phys(uint64_t pa, uint64_t len)
{
	uint64_t end;

	if (!pa || __builtin_add_overflow(pa, len, &end) || end > PC_LOW_LIMIT)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

/* The GPA of something in the kernel image (below 2 GiB, physically contiguous). */
static uint64_t kernel_pa(const void *p)
{
	return (uint64_t)p - MV_KERNEL_VBASE;
}

static void pvh_copy_cmdline(uint64_t pa)
{
	size_t n = 0;
	const char *c;

	while (n < sizeof(pvh_cmdline) - 1 && (c = pc_phys(pa + n, 1)) && *c)
		pvh_cmdline[n++] = *c;
	pvh_cmdline[n] = '\0';
	pvh_bootinfo.cmdline = kernel_pa(pvh_cmdline);
	pvh_bootinfo.cmdline_len = n;
}

/* Append one command record (uint32_t argc, then the words) to pvh_cmds. */
static void pvh_cmd_add(const char *const *argv, uint32_t argc, const size_t *len)
{
	size_t pos = pvh_bootinfo.cmds_len, need = 4;

	for (uint32_t i = 0; i < argc; i++)
		need += len[i] + 1;
	if (need > sizeof(pvh_cmds) - pos)
		panic("pvh: the command after \"--\" is longer than %zu bytes", sizeof(pvh_cmds));
	memcpy(pvh_cmds + pos, &argc, 4);
	pos += 4;
	for (uint32_t i = 0; i < argc; i++) {
		memcpy(pvh_cmds + pos, argv[i], len[i]);
		pos += len[i];
		pvh_cmds[pos++] = '\0';
	}
	pvh_bootinfo.cmds = kernel_pa(pvh_cmds);
	pvh_bootinfo.cmds_len = pos;
	pvh_bootinfo.cmd_count++;
}

/*
 * What follows " -- " on the command line is the command to run, split at
 * blanks with "double quotes" grouping, as Linux hands init its arguments;
 * without one the kernel runs /bin/sh on the serial console.
 */
static void pvh_commands(void)
{
	static char words[MV_CMDLINE_MAX];
	const char *argv[64];
	size_t len[64];
	uint32_t argc = 0;
	char *p = NULL, *w = words;

	for (char *q = pvh_cmdline; *q && !p; q++)
		if ((q == pvh_cmdline || q[-1] == ' ') && !strncmp(q, "--", 2) &&
		    (q[2] == ' ' || q[2] == '\0'))
			p = q + 2;
	if (!p) {
		len[0] = strlen(pvh_default_cmd[0]);
		pvh_cmd_add(pvh_default_cmd, 1, len);
		return;
	}
	while (*p) {
		bool quoted = false;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (argc == ARRAY_SIZE(argv))
			panic("pvh: more than %zu words after \"--\"", ARRAY_SIZE(argv));
		argv[argc] = w;
		for (; *p && (quoted || *p != ' '); p++) {
			if (*p == '"')
				quoted = !quoted;
			else
				*w++ = *p;
		}
		len[argc] = (size_t)(w - argv[argc]);
		*w++ = '\0';
		argc++;
	}
	if (argc)
		pvh_cmd_add(argv, argc, len);
}

static void pvh_memmap_add(uint64_t base, uint64_t end, uint32_t type)
{
	struct mv_memmap_entry *e;

	if (end <= base || pvh_bootinfo.memmap_count >= MV_MEMMAP_MAX)
		return;
	e = &pvh_bootinfo.memmap[pvh_bootinfo.memmap_count++];
	e->base = base;
	e->len = end - base;
	e->type = type;
	if (type == MV_MEM_USABLE && end > pvh_bootinfo.mem_size)
		pvh_bootinfo.mem_size = end;
}

/* The E820 map's RAM, with the initrd cut out as MV_MEM_INITRD. */
static void pvh_memmap(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *m;
	uint64_t ilo = pvh_bootinfo.initrd, ihi = ilo + pvh_bootinfo.initrd_len;
	uint64_t n = si->version >= 1 ? si->memmap_entries : 0;

	m = n ? pc_phys(si->memmap_paddr, n * sizeof(*m)) : NULL;
	if (!m || n > 128)
		panic("pvh: no memory map in the start info (version %u, %llu entries)",
		      si->version, (unsigned long long)n);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t base = m[i].addr, end;

		if (m[i].type != HVM_MEMMAP_TYPE_RAM ||
		    __builtin_add_overflow(base, m[i].size, &end))
			continue;
		end = MIN(end, MV_DIRECT_MAP_MAX);
		if (ihi > ilo && ilo >= base && ihi <= end) {
			pvh_memmap_add(base, ilo, MV_MEM_USABLE);
			pvh_memmap_add(ilo, ihi, MV_MEM_INITRD);
			pvh_memmap_add(ihi, end, MV_MEM_USABLE);
		} else {
			pvh_memmap_add(base, end, MV_MEM_USABLE);
		}
	}
}

/* The initrd is the first module, as QEMU passes -initrd. */
static void pvh_initrd(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *mod;

	if (!si->nr_modules)
		return;
	mod = pc_phys(si->modlist_paddr, sizeof(*mod));
	if (!mod || !pc_phys(mod->paddr, mod->size))
		panic("pvh: module list or initrd outside the first 4 GiB");
	pvh_bootinfo.initrd = mod->paddr;
	pvh_bootinfo.initrd_len = mod->size;
}

static void pvh_seed(void)
{
	uint64_t x = rdtsc() ^ pvh_bootinfo.epoch_ns;

	/* splitmix64 over the TSC and the clock; random_init() adds RDRAND. */
	for (size_t i = 0; i < sizeof(pvh_bootinfo.seed); i += 8) {
		uint64_t z = (x += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31 ^ rdtsc();
		memcpy(pvh_bootinfo.seed + i, &z, 8);
	}
}

__noreturn void pvh_main(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = pc_phys(start_info_pa, sizeof(*si));

	platform = &platform_pc;
	uart_init();
	if (!si || si->magic != HVM_START_MAGIC)
		panic("pvh: no start info at %#x (magic %#x)", start_info_pa,
		      si ? si->magic : 0);
	pvh_bootinfo.magic = MV_BOOTINFO_MAGIC;
	pvh_bootinfo.abi_version = MV_ABI_VERSION;
	pvh_bootinfo.size = sizeof(pvh_bootinfo);
	pvh_bootinfo.boot_tsc = rdtsc();
	pvh_bootinfo.tsc_khz = pit_tsc_khz();
	pvh_bootinfo.epoch_ns = rtc_epoch_ns();
	pvh_bootinfo.flags = MV_BOOT_F_TTY;
	pvh_bootinfo.tty_rows = PC_TTY_ROWS;
	pvh_bootinfo.tty_cols = PC_TTY_COLS;
	if (si->cmdline_paddr)
		pvh_copy_cmdline(si->cmdline_paddr);
	pvh_initrd(si);
	pvh_memmap(si);
	pvh_commands();
	pvh_seed();
	/* The tables may lie in RAM the allocator hands out later: read them now. */
	if (!acpi_find_poweroff(si->rsdp_paddr))
		printk("pvh: no ACPI S5 in the firmware's tables; exit halts\n");
	kmain(kernel_pa(&pvh_bootinfo));
}
