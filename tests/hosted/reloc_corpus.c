/* reloc_corpus.c: mv-reloc-corpus, the loader's "validate and relocate without running" over real .ko files. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader_env_hosted.h"
#include "../../guest/module/loader.h"

/*
 * usage: mv-reloc-corpus [-v] [-t] [-l LIST] [FILE.ko...]
 *
 * Runs every module through the real loader pipeline in MOD_LOAD_DRY_RUN
 * mode: signature trailer split, ELF validation, layout at made-up module
 * addresses, symbol resolution with made-up kernel addresses for undefined
 * symbols, and every relocation applied.  Linux's struct module size and
 * vermagic are not ours, so those two checks are relaxed.  Prints one line
 * per module ("ok NAME N relocs" or "refused NAME: errno: reason"), then
 * how many carried a signature trailer and counts per relocation type; -t adds the time per loader stage (median
 * of 5 runs of each module, summed).  Exit status: 0 when every module was
 * relocated, 1 when any was refused, 2 on a usage or I/O error.
 */

static const char *const stage_names[MOD_STAGE_COUNT] = {
	"host", "elf", "layout", "symbols", "reloc", "params", "init", "protect",
	"copy_in", "decompress", "total",
};
static bool timing;
static uint64_t stage_ns[MOD_STAGE_COUNT];

static const char *const type_names[25] = {
	[0] = "NONE", [1] = "64", [2] = "PC32", [3] = "GOT32", [4] = "PLT32",
	[9] = "GOTPCREL", [10] = "32", [11] = "32S", [24] = "PC64",
};

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = aligned_alloc(4096, ((size_t)n + 4095) & ~(size_t)4095);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The last log line: the named reason of a refusal. */
static const char *last_reason(void)
{
	size_t n = strlen(henv.log);

	while (n > 0 && henv.log[n - 1] == '\n')
		henv.log[--n] = '\0';
	const char *p = strrchr(henv.log, '\n');
	return p ? p + 1 : henv.log;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Five more dry runs of a; add each stage's median to stage_ns. */
static void time_module(const struct mod_load_args *a)
{
	struct mod_load_args b = *a;
	struct mod_timings t[5];
	uint64_t v[5];

	b.stats = NULL;
	for (int r = 0; r < 5; r++) {
		memset(&t[r], 0, sizeof(t[r]));
		b.timings = &t[r];
		mod_load(&b, NULL);
	}
	for (int s = 0; s < MOD_STAGE_COUNT; s++) {
		for (int r = 0; r < 5; r++)
			v[r] = t[r].ticks[s];
		qsort(v, 5, sizeof(v[0]), cmp_u64);
		stage_ns[s] += v[2];
	}
}

/* Returns 0 relocated, 1 refused, 2 unreadable. */
static int one_module(const char *path, struct mod_reloc_stats *total, bool verbose)
{
	struct mod_reloc_stats st = { 0 };
	struct mod_load_args a = {
		.mode = MOD_LOAD_DRY_RUN | MOD_LOAD_ANY_THIS_MODULE | MOD_LOAD_NO_VERSIONS,
		.stats = &st,
	};
	size_t len;
	uint8_t *img = read_file(path, &len);
	int err;

	if (!img) {
		warn("%s", path);
		return 2;
	}
	hosted_env_reset();
	henv.quiet = true;
	a.image = img;
	a.len = len;
	err = mod_load(&a, NULL);
	if (!err && timing)
		time_module(&a);
	if (err)
		printf("refused %s: %s: %s\n", path, strerror(-err), last_reason());
	else if (verbose)
		printf("ok %s %llu relocs\n", path, (unsigned long long)st.total);
	if (henv.live_blocks || henv.live_regions)
		printf("refused %s: leaked %ld blocks, %ld regions\n", path,
		       henv.live_blocks, henv.live_regions), err = -ENOMEM;
	for (size_t t = 0; t < 25; t++)
		total->by_type[t] += st.by_type[t];
	total->sections += st.sections;
	total->signed_images += st.signed_images;
	total->total += st.total;
	free(img);
	return err ? 1 : 0;
}

static int run_list(const char *list, struct mod_reloc_stats *total, bool verbose,
		    long *n, long *bad)
{
	FILE *f = fopen(list, "r");
	char line[4096];

	if (!f)
		err(2, "%s", list);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		int r = one_module(line, total, verbose);
		if (r == 2)
			exit(2);
		(*n)++;
		*bad += r;
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	struct mod_reloc_stats total = { 0 };
	bool verbose = false;
	long n = 0, bad = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			verbose = true;
		} else if (strcmp(argv[i], "-t") == 0) {
			timing = true;
		} else if (strcmp(argv[i], "-l") == 0 && i + 1 < argc) {
			run_list(argv[++i], &total, verbose, &n, &bad);
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: %s [-v] [-t] [-l LIST] [FILE.ko...]\n", argv[0]);
			return 2;
		} else {
			int r = one_module(argv[i], &total, verbose);
			if (r == 2)
				return 2;
			n++;
			bad += r;
		}
	}
	printf("modules: %ld relocated: %ld refused: %ld signed: %llu\n", n, n - bad, bad,
	       (unsigned long long)total.signed_images);
	printf("rela sections: %llu relocations: %llu\n",
	       (unsigned long long)total.sections, (unsigned long long)total.total);
	for (size_t t = 0; t < 25; t++)
		if (total.by_type[t])
			printf("R_X86_64_%s: %llu\n", type_names[t] ? type_names[t] : "?",
			       (unsigned long long)total.by_type[t]);
	for (int st = 0; timing && st < MOD_STAGE_COUNT; st++)
		if (stage_ns[st])
			printf("stage %s: %.3f ms\n", stage_names[st], stage_ns[st] / 1e6);
	return bad ? 1 : 0;
}
