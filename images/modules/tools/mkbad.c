/* mkbad.c: writes the broken test modules that are a good module with one field patched. */
#include <elf.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * usage: mkbad TABLE DIR
 * For every line "bad-NAME.ko ERRNO NEEDS mkbad OP FROM.ko" of TABLE
 * (images/modules/expected-errors.txt), reads DIR/FROM.ko, applies OP and
 * writes DIR/bad-NAME.ko.  Each OP breaks exactly one thing the loader
 * checks; the table says which errno that must give.
 */

struct image {
	unsigned char *buf;
	size_t size;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
	char *shstr;
};

static void image_read(struct image *im, const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		err(1, "%s", path);
	if (fseek(f, 0, SEEK_END) || (im->size = (size_t)ftell(f)) < sizeof(Elf64_Ehdr) ||
	    fseek(f, 0, SEEK_SET))
		errx(1, "%s: not an ELF file", path);
	im->buf = malloc(im->size);
	if (!im->buf || fread(im->buf, 1, im->size, f) != im->size)
		errx(1, "%s: cannot read", path);
	fclose(f);
	im->eh = (Elf64_Ehdr *)im->buf;
	/* FROM is a module the SDK just built: trusted, checked only for size. */
	if (im->eh->e_shoff + (size_t)im->eh->e_shnum * sizeof(Elf64_Shdr) > im->size)
		errx(1, "%s: section table outside the file", path);
	im->sh = (Elf64_Shdr *)(im->buf + im->eh->e_shoff);
	im->shstr = (char *)im->buf + im->sh[im->eh->e_shstrndx].sh_offset;
}

static Elf64_Shdr *section(struct image *im, const char *name)
{
	for (unsigned i = 0; i < im->eh->e_shnum; i++)
		if (!strcmp(im->shstr + im->sh[i].sh_name, name))
			return &im->sh[i];
	errx(1, "no section %s", name);
}

/* rename_section(im, from, to): overwrite the name in place (to no longer than from). */
static void rename_section(struct image *im, const char *from, const char *to)
{
	char *name = im->shstr + section(im, from)->sh_name;

	memset(name, 0, strlen(name));
	memcpy(name, to, strlen(to));
}

/* patch_bytes(im, sec, from, to): replace the first from in section sec (same length). */
static void patch_bytes(struct image *im, const char *sec, const void *from, const void *to,
			size_t len)
{
	Elf64_Shdr *s = section(im, sec);
	unsigned char *p = im->buf + s->sh_offset;

	for (size_t i = 0; i + len <= s->sh_size; i++) {
		if (!memcmp(p + i, from, len)) {
			memcpy(p + i, to, len);
			return;
		}
	}
	errx(1, "%s: pattern not found", sec);
}

/* flip_crc(im, sym): change the __versions CRC recorded for sym. */
static void flip_crc(struct image *im, const char *sym)
{
	Elf64_Shdr *s = section(im, "__versions");

	for (size_t off = 0; off + 64 <= s->sh_size; off += 64) {
		unsigned char *e = im->buf + s->sh_offset + off;

		if (!strcmp((char *)e + 8, sym)) {
			e[0] ^= 0x5a;
			return;
		}
	}
	errx(1, "__versions: no entry for %s", sym);
}

static void apply(struct image *im, const char *op)
{
	if (!strcmp(op, "magic")) {
		im->buf[EI_MAG1] = 'X';
	} else if (!strcmp(op, "machine")) {
		im->eh->e_machine = EM_AARCH64;
	} else if (!strcmp(op, "shtrunc")) {
		im->size = im->eh->e_shoff + (im->eh->e_shnum / 2) * sizeof(Elf64_Shdr) + 7;
	} else if (!strcmp(op, "no-this-module")) {
		rename_section(im, ".gnu.linkonce.this_module", ".gnu.linkonce.this_modulX");
	} else if (!strcmp(op, "this-module-size")) {
		section(im, ".gnu.linkonce.this_module")->sh_size -= 8;
	} else if (!strcmp(op, "two-modinfo")) {
		rename_section(im, ".comment", ".modinfo");
	} else if (!strcmp(op, "rel-section")) {
		Elf64_Shdr *s = section(im, ".rela.init.text");

		s->sh_type = SHT_REL;
		s->sh_entsize = sizeof(Elf64_Rel);
		s->sh_size -= s->sh_size % sizeof(Elf64_Rel);
	} else if (!strcmp(op, "no-vermagic")) {
		patch_bytes(im, ".modinfo", "vermagic=", "vermagiX=", 9);
	} else if (!strcmp(op, "vermagic")) {
		patch_bytes(im, ".modinfo", " SMP ", " XMP ", 5);
	} else if (!strcmp(op, "crc")) {
		flip_crc(im, "printk");
	} else if (!strcmp(op, "no-versions")) {
		rename_section(im, "__versions", "__versionX");
	} else {
		errx(1, "unknown operation %s", op);
	}
}

static void make_one(const char *dir, const char *out, const char *op, const char *from)
{
	char src[4096], dst[4096];
	struct image im;
	FILE *f;

	snprintf(src, sizeof(src), "%s/%s", dir, from);
	snprintf(dst, sizeof(dst), "%s/%s", dir, out);
	image_read(&im, src);
	apply(&im, op);
	f = fopen(dst, "wb");
	if (!f || fwrite(im.buf, 1, im.size, f) != im.size || fclose(f))
		err(1, "%s", dst);
	free(im.buf);
}

int main(int argc, char **argv)
{
	char line[1024], mod[256], errname[64], needs[256], how[64], op[64], from[256];
	FILE *t;

	if (argc != 3)
		errx(2, "usage: mkbad TABLE DIR");
	t = fopen(argv[1], "r");
	if (!t)
		err(1, "%s", argv[1]);
	while (fgets(line, sizeof(line), t)) {
		if (line[0] == '#' ||
		    sscanf(line, "%255s %63s %255s %63s %63s %255s", mod, errname, needs, how,
			   op, from) != 6 || strcmp(how, "mkbad"))
			continue;
		make_one(argv[2], mod, op, from);
	}
	fclose(t);
	return 0;
}
