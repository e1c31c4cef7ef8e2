/* mkbad.c: writes the broken test modules that are a good module with one field patched. */
#include <modvisor/elf64.h>
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
 *
 * usage: mkbad OP FROM.ko OUT.ko     one operation on one module
 *        mkbad --list                every operation's name
 * The differential suite (tests/host/t-diff.sh) applies every operation to
 * the same module built by the SDK and by kbuild: operations find what they
 * patch by section name, section type or symbol name, never by offset, so
 * they mean the same on both builds.
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
	im->buf = malloc(im->size + 1024);     /* room for appended section headers */
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


/* section_index(im, type): the first section of sh_type type, or 0. */
static unsigned section_index(struct image *im, unsigned type)
{
	for (unsigned i = 1; i < im->eh->e_shnum; i++)
		if (im->sh[i].sh_type == type)
			return i;
	return 0;
}

static unsigned section_no(struct image *im, const char *name)
{
	return (unsigned)(section(im, name) - im->sh);
}

/* The symbol table and its string table. */
static Elf64_Sym *symbols(struct image *im, size_t *n, char **str, Elf64_Shdr **strsec)
{
	Elf64_Shdr *s = &im->sh[section_index(im, SHT_SYMTAB)];

	*n = s->sh_size / sizeof(Elf64_Sym);
	*strsec = &im->sh[s->sh_link];
	*str = (char *)im->buf + (*strsec)->sh_offset;
	return (Elf64_Sym *)(im->buf + s->sh_offset);
}

/* symbol(im, name): the symbol called name. */
static Elf64_Sym *symbol(struct image *im, const char *name)
{
	Elf64_Shdr *strsec;
	char *str;
	size_t n;
	Elf64_Sym *sym = symbols(im, &n, &str, &strsec);

	for (size_t i = 1; i < n; i++)
		if (!strcmp(str + sym[i].st_name, name))
			return &sym[i];
	errx(1, "no symbol %s", name);
}

/* append_header(im, from): a copy of section header from as a new last section. */
static void append_header(struct image *im, unsigned from)
{
	size_t old = (size_t)im->eh->e_shnum * sizeof(Elf64_Shdr);
	size_t at = (im->size + 7) & ~(size_t)7;
	unsigned char *nb = calloc(1, at + old + sizeof(Elf64_Shdr) + 1024);

	if (!nb)
		errx(1, "out of memory");
	memcpy(nb, im->buf, im->size);
	memcpy(nb + at, im->buf + im->eh->e_shoff, old);
	memcpy(nb + at + old, im->buf + im->eh->e_shoff + from * sizeof(Elf64_Shdr),
	       sizeof(Elf64_Shdr));
	free(im->buf);
	im->buf = nb;
	im->size = at + old + sizeof(Elf64_Shdr);
	im->eh = (Elf64_Ehdr *)nb;
	im->eh->e_shoff = at;
	im->eh->e_shnum++;
	im->sh = (Elf64_Shdr *)(nb + at);
	im->shstr = (char *)nb + im->sh[im->eh->e_shstrndx].sh_offset;
}

/* The first relocation of section name and the bytes it patches. */
static Elf64_Rela *first_rela(struct image *im, const char *name, unsigned char **target)
{
	Elf64_Shdr *r = section(im, name);
	Elf64_Rela *rela = (Elf64_Rela *)(im->buf + r->sh_offset);

	*target = im->buf + im->sh[r->sh_info].sh_offset + rela->r_offset;
	return rela;
}

/* Operations on the ELF header and the section table. */
static int apply_header(struct image *im, const char *op)
{
	Elf64_Shdr *shstr = &im->sh[im->eh->e_shstrndx];

	if (!strcmp(op, "class32"))
		im->buf[EI_CLASS] = ELFCLASS32;
	else if (!strcmp(op, "classnone"))
		im->buf[EI_CLASS] = ELFCLASSNONE;
	else if (!strcmp(op, "databe"))
		im->buf[EI_DATA] = ELFDATA2MSB;
	else if (!strcmp(op, "datanone"))
		im->buf[EI_DATA] = ELFDATANONE;
	else if (!strcmp(op, "eiversion"))
		im->buf[EI_VERSION] = 0;
	else if (!strcmp(op, "osabi"))
		im->buf[EI_OSABI] = ELFOSABI_FREEBSD;
	else if (!strcmp(op, "type-exec"))
		im->eh->e_type = ET_EXEC;
	else if (!strcmp(op, "eversion"))
		im->eh->e_version = 0;
	else if (!strcmp(op, "shentsize"))
		im->eh->e_shentsize = 32;
	else if (!strcmp(op, "shoff-past"))
		im->eh->e_shoff = im->size + 64;
	else if (!strcmp(op, "shstrndx-0"))
		im->eh->e_shstrndx = 0;
	else if (!strcmp(op, "shstrndx-big"))
		im->eh->e_shstrndx = im->eh->e_shnum;
	else if (!strcmp(op, "shstr-unterminated"))
		im->buf[shstr->sh_offset + shstr->sh_size - 1] = 'X';
	else if (!strcmp(op, "shstr-empty"))
		shstr->sh_size = 0;
	else if (!strcmp(op, "sec0-size"))
		im->sh[0].sh_size = 16;
	else if (!strcmp(op, "symtab-offset-past"))
		im->sh[section_index(im, SHT_SYMTAB)].sh_offset = im->size;
	else if (!strcmp(op, "data-offset-past"))
		section(im, ".data")->sh_offset = im->size - 8;
	else if (!strcmp(op, "size-overflow"))
		section(im, ".data")->sh_size = ~0ull - 4;
	else if (!strcmp(op, "nobits-offset-past"))
		section(im, ".bss")->sh_offset = 0xffffffffff;
	else if (!strcmp(op, "alloc-name-oob"))
		section(im, ".data")->sh_name = (uint32_t)shstr->sh_size + 16;
	else if (!strcmp(op, "nonalloc-name-oob"))
		section(im, ".comment")->sh_name = (uint32_t)shstr->sh_size + 16;
	else
		return 0;
	return 1;
}

/* Operations on the symbol table, its strings and the relocations. */
static int apply_symbols(struct image *im, const char *op)
{
	unsigned symtab = section_index(im, SHT_SYMTAB);
	Elf64_Shdr *strsec;
	unsigned char *target;
	char *str;
	size_t n;

	symbols(im, &n, &str, &strsec);
	if (!strcmp(op, "no-symtab"))
		im->sh[symtab].sh_type = SHT_PROGBITS;
	else if (!strcmp(op, "symtab-link-0"))
		im->sh[symtab].sh_link = 0;
	else if (!strcmp(op, "symtab-link-big"))
		im->sh[symtab].sh_link = im->eh->e_shnum + 3;
	else if (!strcmp(op, "symtab-link-progbits"))
		im->sh[symtab].sh_link = section_no(im, ".modinfo");
	else if (!strcmp(op, "symtab-entsize"))
		im->sh[symtab].sh_entsize = 16;
	else if (!strcmp(op, "strtab-unterminated"))
		str[strsec->sh_size - 1] = 'X';
	else if (!strcmp(op, "two-symtabs"))
		append_header(im, symtab);
	else if (!strcmp(op, "symname-oob-undef"))
		symbol(im, "param_ops_int")->st_name = (uint32_t)strsec->sh_size + 8;
	else if (!strcmp(op, "symname-oob-def"))
		symbol(im, "pmod_init")->st_name = (uint32_t)strsec->sh_size + 8;
	else if (!strcmp(op, "common"))
		symbol(im, "pi")->st_shndx = SHN_COMMON;
	else if (!strcmp(op, "unknown-sym"))
		str[symbol(im, "param_ops_int")->st_name] = 'X';
	else if (!strcmp(op, "weak-unknown-sym")) {
		Elf64_Sym *s = symbol(im, "param_ops_int");

		s->st_info = ELF64_ST_INFO(STB_WEAK, ELF64_ST_TYPE(s->st_info));
		str[s->st_name] = 'X';
	} else if (!strcmp(op, "crc"))
		flip_crc(im, "param_ops_int");
	else if (!strcmp(op, "reloc-type")) {
		Elf64_Rela *r = first_rela(im, ".rela__param", &target);

		r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), 99);
	} else if (!strcmp(op, "reloc-nonzero")) {
		first_rela(im, ".rela__param", &target);
		target[0] = 1;
	} else if (!strcmp(op, "rela-link"))
		section(im, ".rela__param")->sh_link = 0;
	else if (!strcmp(op, "rela-entsize"))
		section(im, ".rela__param")->sh_entsize = 16;
	else if (!strcmp(op, "rela-size"))
		section(im, ".rela__param")->sh_size += 8;
	else
		return 0;
	return 1;
}

/* Operations on sections the loader treats specially. */
static int apply_sections(struct image *im, const char *op)
{
	if (!strcmp(op, "wx"))
		section(im, ".data")->sh_flags |= SHF_EXECINSTR;
	else if (!strcmp(op, "rel-param")) {
		Elf64_Shdr *s = section(im, ".rela__param");

		s->sh_type = SHT_REL;
		s->sh_entsize = sizeof(Elf64_Rel);
		s->sh_size -= s->sh_size % sizeof(Elf64_Rel);
	} else if (!strcmp(op, "this-module-nobits"))
		section(im, ".gnu.linkonce.this_module")->sh_type = SHT_NOBITS;
	else if (!strcmp(op, "two-this-module"))
		append_header(im, section_no(im, ".gnu.linkonce.this_module"));
	else if (!strcmp(op, "vermagic-release"))
		patch_bytes(im, ".modinfo", "vermagic=6", "vermagic=7", 10);
	else if (!strcmp(op, "license"))
		patch_bytes(im, ".modinfo", "license=GPL", "license=GPX", 11);
	else if (!strcmp(op, "modinfo-name"))
		patch_bytes(im, ".modinfo", "name=pmod", "name=qmod", 9);
	else if (!strcmp(op, "modinfo-unterminated")) {
		Elf64_Shdr *s = section(im, ".modinfo");

		im->buf[s->sh_offset + s->sh_size - 1] = 'X';
	} else if (!strcmp(op, "align3"))
		section(im, ".data")->sh_addralign = 3;
	else if (!strcmp(op, "align-big"))
		section(im, ".data")->sh_addralign = 1u << 16;
	else
		return 0;
	return 1;
}

static const char *const all_ops[] = {
	"magic", "machine", "shtrunc", "no-this-module", "this-module-size", "two-modinfo",
	"no-vermagic", "vermagic", "no-versions",
	"class32", "classnone", "databe", "datanone", "eiversion", "osabi", "type-exec",
	"eversion", "shentsize", "shoff-past", "shstrndx-0", "shstrndx-big",
	"shstr-unterminated", "shstr-empty", "sec0-size", "symtab-offset-past",
	"data-offset-past", "size-overflow", "nobits-offset-past", "alloc-name-oob",
	"nonalloc-name-oob", "no-symtab", "symtab-link-0", "symtab-link-big",
	"symtab-link-progbits", "symtab-entsize", "strtab-unterminated", "two-symtabs",
	"symname-oob-undef", "symname-oob-def", "common", "unknown-sym", "weak-unknown-sym",
	"crc", "reloc-type", "reloc-nonzero", "rela-link", "rela-entsize", "rela-size",
	"wx", "rel-param", "this-module-nobits", "two-this-module", "vermagic-release",
	"license", "modinfo-name", "modinfo-unterminated", "align3", "align-big",
};

static void apply(struct image *im, const char *op)
{
	if (apply_header(im, op) || apply_symbols(im, op) || apply_sections(im, op))
		return;
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
	} else if (!strcmp(op, "crc-printk")) {
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

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < sizeof(all_ops) / sizeof(all_ops[0]); i++)
			puts(all_ops[i]);
		return 0;
	}
	if (argc == 4) {
		struct image im;
		FILE *f;

		image_read(&im, argv[2]);
		apply(&im, argv[1]);
		f = fopen(argv[3], "wb");
		if (!f || fwrite(im.buf, 1, im.size, f) != im.size || fclose(f))
			err(1, "%s", argv[3]);
		free(im.buf);
		return 0;
	}
	if (argc != 3)
		errx(2, "usage: mkbad TABLE DIR | mkbad OP FROM.ko OUT.ko | mkbad --list");
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
