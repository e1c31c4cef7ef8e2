/* loader_stages.c: mv-bench-stages, the guest loader's stages timed one by one on the host (dry run). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <modvisor/elf64.h>
#include "loader.h"                /* guest/module: mod_load() and struct mod_timings */
#include "loader_env_hosted.h"     /* tests/hosted: the loader's host environment */

/*
 * usage: mv-bench-stages REPS FILE.ko...
 *        mv-bench-stages -d        (file names on stdin)
 *
 * For each module and repetition, runs mod_load() in its dry-run mode (as
 * mv-reloc-corpus does: made-up addresses for undefined symbols, Linux's
 * struct module size and versions not checked) and prints one line per
 * stage, from the loader's own stage timings: "NAME STAGE NANOSECONDS BYTES", stages elf_check, layout
 * (layout + allocation + copy), symbols, relocation.  `modvisor bench`
 * reads these lines.  Exit status 0, or 1 when a module was refused.
 *
 * With -d, prints "NAME TEXT RELOCS" per module named on stdin: the bytes of
 * its executable sections and the relocations that apply to them, for the
 * relocation density the generated modules copy (docs/benchmarks.md).
 */

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/*
 * one_run(name, img, len): one dry run of mod_load() itself, with the
 * loader's own stage timings (struct mod_timings; nanoseconds in the hosted
 * build), so the figures are of the real pipeline, not a copy of it.
 * Returns 0 or -errno.
 */
static int one_run(const char *name, const uint8_t *img, size_t len)
{
	static const struct { int stage; const char *name; } out[] = {
		{ MOD_STAGE_ELF, "elf_check" }, { MOD_STAGE_LAYOUT, "layout" },
		{ MOD_STAGE_SYMBOLS, "symbols" }, { MOD_STAGE_RELOC, "relocation" },
	};
	struct mod_timings tm;
	struct mod_load_args a = { .image = img, .len = len, .timings = &tm,
		.mode = MOD_LOAD_DRY_RUN | MOD_LOAD_ANY_THIS_MODULE | MOD_LOAD_NO_VERSIONS };
	int err;

	memset(&tm, 0, sizeof(tm));
	err = mod_load(&a, NULL);
	for (unsigned i = 0; !err && i < sizeof(out) / sizeof(out[0]); i++)
		printf("%s %s %llu %zu\n", name, out[i].name,
		       (unsigned long long)tm.ticks[out[i].stage], len);
	return err;
}

/* density(path): text bytes and relocations against text, from the section headers. */
static int density(const char *path)
{
	size_t len;
	uint8_t *img = read_file(path, &len);
	const Elf64_Ehdr *eh = (const void *)img;
	uint64_t text = 0, relocs = 0;
	const char *base = strrchr(path, '/');

	if (!img || len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > len ||
	    eh->e_shnum > (len - eh->e_shoff) / sizeof(Elf64_Shdr)) {
		free(img);
		return -1;
	}
	const Elf64_Shdr *sh = (const void *)(img + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type == SHT_PROGBITS && (sh[i].sh_flags & SHF_EXECINSTR))
			text += sh[i].sh_size;
		if (sh[i].sh_type == SHT_RELA && sh[i].sh_info < eh->e_shnum &&
		    (sh[sh[i].sh_info].sh_flags & SHF_EXECINSTR))
			relocs += sh[i].sh_size / sizeof(Elf64_Rela);
	}
	printf("%s %llu %llu\n", base ? base + 1 : path, (unsigned long long)text,
	       (unsigned long long)relocs);
	free(img);
	return 0;
}

static int density_stdin(void)
{
	char line[4096];
	int bad = 0;

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && density(line))
			bad = 1;
	}
	return bad;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "-d") == 0)
		return density_stdin();
	int reps = argc > 1 ? atoi(argv[1]) : 0, bad = 0;

	if (argc < 3 || reps < 1) {
		fprintf(stderr, "usage: %s REPS FILE.ko...\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		size_t len;
		uint8_t *img = read_file(argv[i], &len);
		const char *base = strrchr(argv[i], '/');

		if (!img) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i], strerror(errno));
			return 2;
		}
		for (int r = 0; r < reps; r++) {
			hosted_env_reset();
			henv.quiet = true;
			int err = one_run(base ? base + 1 : argv[i], img, len);
			if (err) {
				fprintf(stderr, "%s: %s refused: %s\n", argv[0], argv[i], strerror(-err));
				bad = 1;
				break;
			}
		}
		free(img);
	}
	return bad;
}
