/* bench_host.c: host-only sections of `modvisor bench`: measurement throughput and footprint. */
#include <modvisor/elf64.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <openssl/evp.h>
#include <xxhash.h>
#include "bench_suite.h"
#include "kernel_load.h"
#include "authority/measure.h"

/* bench_fill(buf, len): deterministic pseudo-random bytes (xorshift). */
static void bench_fill(uint8_t *buf, size_t len)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
}

/* Keeps the compiler from dropping a digest nobody reads. */
static volatile uint8_t bench_sink;

static uint64_t bench_time_xxh3(const uint8_t *buf, size_t len)
{
	uint64_t t = bench_tsc();
	XXH128_hash_t h = XXH3_128bits(buf, len);

	t = bench_tsc() - t;
	bench_sink ^= (uint8_t)h.low64;
	return t;
}

static uint64_t bench_time_sha256(const uint8_t *buf, size_t len)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen;
	uint64_t t = bench_tsc();

	EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL);
	t = bench_tsc() - t;
	bench_sink ^= md[0];
	return t;
}

static uint64_t bench_time_measure(const uint8_t *buf, size_t len)
{
	struct measurement m;
	uint64_t t = bench_tsc();

	measure_buf(buf, len, MEASURE_DEFAULT_SET, &m);
	t = bench_tsc() - t;
	bench_sink ^= m.xxh3[0];
	return t;
}

/* bench_mbps(len, ticks): throughput in MB/s (10^6 bytes). */
static double bench_mbps(size_t len, uint64_t ticks)
{
	return (double)len / bench_ticks_us((double)(ticks ? ticks : 1));
}

/* bench_measure_size(o, r, len, buf): one buffer size, interleaved repetitions. */
static void bench_measure_size(const struct bench_opts *o, struct bench_report *r,
			       size_t len, const uint8_t *buf)
{
	double x[64], s[64], m[64], ratio[64];
	char param[32];
	int reps = o->reps * 3 > 64 ? 64 : o->reps * 3;

	snprintf(param, sizeof(param), "%zuKiB", len >> 10);
	bench_time_measure(buf, len);   /* warm the cache and OpenSSL */
	for (int i = 0; i < reps; i++) {
		uint64_t tx = bench_time_xxh3(buf, len), ts = bench_time_sha256(buf, len);
		uint64_t tm = bench_time_measure(buf, len);

		x[i] = bench_mbps(len, tx);
		s[i] = bench_mbps(len, ts);
		m[i] = bench_mbps(len, tm);
		ratio[i] = (double)(tx + ts) / (double)(tm ? tm : 1);
	}
	bench_add(r, "measure", "plain_xxh3", param, "MB/s", x, reps);
	bench_add(r, "measure", "plain_sha256", param, "MB/s", s, reps);
	bench_add(r, "measure", "measure_path", param, "MB/s", m, reps);
	bench_add(r, "measure", "plain_over_path", param, "ratio", ratio, reps);
}

int bench_section_measure(const struct bench_opts *o, struct bench_report *r)
{
	static const size_t full[] = { 64 << 10, 1 << 20, 16 << 20 }, quick[] = { 64 << 10 };
	const size_t *sizes = o->quick ? quick : full;
	int n = o->quick ? 1 : 3;
	uint8_t *buf = malloc(sizes[n - 1]);

	if (!buf)
		return fprintf(stderr, "modvisor bench: measure: out of memory\n"), -1;
	bench_fill(buf, sizes[n - 1]);
	for (int i = 0; i < n; i++) {
		bench_progress("measure: %zu KiB", sizes[i] >> 10);
		bench_measure_size(o, r, sizes[i], buf);
	}
	free(buf);
	return 0;
}

/* bench_kernel_sizes(path, r): text/rodata/data/bss of the guest kernel ELF. */
static int bench_kernel_sizes(const char *path, struct bench_report *r)
{
	uint8_t *img;
	size_t len;
	uint64_t text = 0, ro = 0, data = 0, bss = 0;
	const Elf64_Ehdr *eh;

	if (read_whole_file(path, &img, &len))
		return fprintf(stderr, "modvisor bench: %s: cannot read it\n", path), -1;
	eh = (const void *)img;
	if (len < sizeof(*eh) || eh->e_shoff > len || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shnum > (len - eh->e_shoff) / sizeof(Elf64_Shdr)) {
		free(img);
		return fprintf(stderr, "modvisor bench: %s: bad section headers\n", path), -1;
	}
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *s = (const void *)(img + eh->e_shoff + i * sizeof(*s));

		if (!(s->sh_flags & SHF_ALLOC))
			continue;
		if (s->sh_type == SHT_NOBITS)
			bss += s->sh_size;
		else if (s->sh_flags & SHF_EXECINSTR)
			text += s->sh_size;
		else if (s->sh_flags & SHF_WRITE)
			data += s->sh_size;
		else
			ro += s->sh_size;
	}
	free(img);
	bench_add1(r, "footprint", "kernel_text", "", "KiB", text / 1024.0);
	bench_add1(r, "footprint", "kernel_rodata", "", "KiB", ro / 1024.0);
	bench_add1(r, "footprint", "kernel_data", "", "KiB", data / 1024.0);
	bench_add1(r, "footprint", "kernel_bss", "", "KiB", bss / 1024.0);
	return 0;
}

int bench_footprint_child(const struct bench_opts *o)
{
	char *argv[] = { "/bin/true", NULL };
	struct boot_cmd cmd = { 1, argv };
	struct bench_guest_spec s = { .kernel = o->kernel, .initrd = o->initrd, .cmdline = "quiet",
				      .cmds = &cmd, .ncmds = 1, .mem_mib = 128,
				      .console_log = o->guest_log };
	struct bench_guest_trace t;

	if (bench_guest_run(&s, &t) || t.status != 0)
		return 1;
	printf("%llu %llu %llu %llu %llu %llu %llu\n", (unsigned long long)t.rss_kib,
	       (unsigned long long)t.hwm_kib, (unsigned long long)t.guest_resident_kib,
	       (unsigned long long)t.anon_kib, (unsigned long long)t.file_kib,
	       (unsigned long long)t.private_kib, (unsigned long long)t.shared_kib);
	return 0;
}

/*
 * A fresh process, as `modvisor run` is: a forked child would count the
 * bench's own pages and inherit its allocator's state.
 */
int bench_section_footprint(const struct bench_opts *o, struct bench_report *r)
{
	char exe[4096], cmd[8400];
	unsigned long long rss = 0, hwm = 0, guest = 0, anon = 0, file = 0, priv = 0, shared = 0;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *p;
	int ok;

	bench_progress("footprint: one boot in a fresh modvisor process");
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	snprintf(cmd, sizeof(cmd), "'%s' bench --footprint-child --accel=kvm --out '%s'", exe, o->out);
	p = popen(cmd, "r");
	if (!p)
		return fprintf(stderr, "modvisor bench: footprint: %s\n", strerror(errno)), -1;
	ok = fscanf(p, "%llu %llu %llu %llu %llu %llu %llu", &rss, &hwm, &guest, &anon, &file,
		    &priv, &shared) == 7;
	if (pclose(p) != 0 || !ok)
		return fprintf(stderr, "modvisor bench: footprint: the guest run failed\n"), -1;
	bench_add1(r, "footprint", "vmm_rss_beyond_guest", "", "KiB", (double)(rss - guest));
	/*
	 * Private: pages only this process maps (its heap, stacks, data, and
	 * library pages nobody else has loaded); shared: pages other processes
	 * map too, mostly the shared libraries' code.  Guest RAM is private
	 * anonymous memory and is taken out of both of these.
	 */
	bench_add1(r, "footprint", "vmm_private_beyond_guest", "", "KiB", (double)(priv - guest));
	bench_add1(r, "footprint", "vmm_shared", "", "KiB", (double)shared);
	bench_add1(r, "footprint", "vmm_anon_beyond_guest", "", "KiB", (double)(anon - guest));
	bench_add1(r, "footprint", "vmm_file_backed", "", "KiB", (double)file);
	bench_add1(r, "footprint", "vmm_hwm", "", "KiB", (double)hwm);
	bench_add1(r, "footprint", "guest_ram_touched", "128MiB", "KiB", (double)guest);
	return bench_kernel_sizes(o->kernel, r);
}
