/* elfgen.c: an in-memory ELF64 relocatable-object writer for the loader's unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <modvisor/abi/module.h>
#include <modvisor/version.h>
#include "elfgen.h"
#include "elf_ehdr.h"

#define EG_MAX 64

struct eg_sec {
	char      name[64];
	Elf64_Shdr sh;
	uint8_t  *data;
	Elf64_Rela *rela;
	size_t    nrela;
};

struct eg {
	struct eg_sec sec[EG_MAX];
	int       nsec;
	Elf64_Sym sym[256];
	int       nsym;
	char      str[8192];
	size_t    strlen_;
};

static uint32_t eg_str(struct eg *g, const char *s)
{
	uint32_t off = (uint32_t)g->strlen_;

	strcpy(g->str + off, s);
	g->strlen_ += strlen(s) + 1;
	return off;
}

struct eg *eg_new(void)
{
	struct eg *g = calloc(1, sizeof(*g));

	g->nsec = 1;
	g->nsym = 1;
	g->strlen_ = 1;
	return g;
}

int eg_section(struct eg *g, const char *name, uint32_t type, uint64_t flags,
	       const void *data, uint64_t size, uint64_t align)
{
	struct eg_sec *s = &g->sec[g->nsec];

	strncpy(s->name, name, sizeof(s->name) - 1);
	s->sh.sh_type = type;
	s->sh.sh_flags = flags;
	s->sh.sh_size = size;
	s->sh.sh_addralign = align;
	if (type != SHT_NOBITS) {
		s->data = calloc(1, size + 1);
		if (data)
			memcpy(s->data, data, size);
	}
	return g->nsec++;
}

int eg_symbol(struct eg *g, const char *name, int shndx, uint64_t value, int bind, int type)
{
	Elf64_Sym *s = &g->sym[g->nsym];

	s->st_name = name && *name ? eg_str(g, name) : 0;
	s->st_shndx = (uint16_t)shndx;
	s->st_value = value;
	s->st_info = ELF64_ST_INFO(bind, type);
	return g->nsym++;
}

void eg_rela(struct eg *g, int sec, uint64_t off, uint32_t type, int sym, int64_t addend)
{
	struct eg_sec *s = &g->sec[sec];

	s->rela = realloc(s->rela, (s->nrela + 1) * sizeof(Elf64_Rela));
	s->rela[s->nrela].r_offset = off;
	s->rela[s->nrela].r_info = ELF64_R_INFO((uint64_t)sym, type);
	s->rela[s->nrela].r_addend = addend;
	s->nrela++;
}

/* Append bytes at an aligned offset of the growing image. */
static uint64_t put(uint8_t **img, size_t *len, const void *p, size_t n, size_t align)
{
	size_t off = (*len + align - 1) & ~(align - 1);

	*img = realloc(*img, off + n + 8);
	memset(*img + *len, 0, off - *len);
	if (p)
		memcpy(*img + off, p, n);
	*len = off + n;
	return off;
}

uint8_t *eg_finish(struct eg *g, size_t *len)
{
	int nuser = g->nsec, symtab, strtab, shstrtab;
	Elf64_Shdr sh[EG_MAX * 2 + 4] = { { 0 } };
	char shstr[4096] = "";
	size_t shlen = 1, n = 0;
	uint8_t *img = NULL;
	Elf64_Ehdr eh = { 0 };
	int idx;

	put(&img, &n, NULL, sizeof(eh), 8);
	for (int i = 1; i < nuser; i++) {
		sh[i] = g->sec[i].sh;
		sh[i].sh_name = (uint32_t)shlen;
		strcpy(shstr + shlen, g->sec[i].name);
		shlen += strlen(g->sec[i].name) + 1;
		if (g->sec[i].data)
			sh[i].sh_offset = put(&img, &n, g->sec[i].data, sh[i].sh_size,
					      sh[i].sh_addralign ? sh[i].sh_addralign : 1);
		else
			sh[i].sh_offset = n;
	}
	idx = nuser;
	symtab = idx++;
	strtab = idx++;
	sh[symtab] = (Elf64_Shdr){ .sh_type = SHT_SYMTAB, .sh_link = (uint32_t)strtab,
		.sh_info = 1, .sh_entsize = sizeof(Elf64_Sym), .sh_addralign = 8,
		.sh_size = (uint64_t)g->nsym * sizeof(Elf64_Sym) };
	sh[symtab].sh_offset = put(&img, &n, g->sym, sh[symtab].sh_size, 8);
	sh[strtab] = (Elf64_Shdr){ .sh_type = SHT_STRTAB, .sh_size = g->strlen_,
		.sh_addralign = 1 };
	sh[strtab].sh_offset = put(&img, &n, g->str, g->strlen_, 1);
	sh[symtab].sh_name = (uint32_t)shlen;
	shlen += (size_t)sprintf(shstr + shlen, ".symtab") + 1;
	sh[strtab].sh_name = (uint32_t)shlen;
	shlen += (size_t)sprintf(shstr + shlen, ".strtab") + 1;
	for (int i = 1; i < nuser; i++) {
		if (!g->sec[i].nrela)
			continue;
		sh[idx] = (Elf64_Shdr){ .sh_type = SHT_RELA, .sh_link = (uint32_t)symtab,
			.sh_info = (uint32_t)i, .sh_entsize = sizeof(Elf64_Rela),
			.sh_addralign = 8, .sh_flags = SHF_INFO_LINK,
			.sh_size = g->sec[i].nrela * sizeof(Elf64_Rela), .sh_name = (uint32_t)shlen };
		shlen += (size_t)sprintf(shstr + shlen, ".rela%s", g->sec[i].name) + 1;
		sh[idx].sh_offset = put(&img, &n, g->sec[i].rela, sh[idx].sh_size, 8);
		idx++;
	}
	shstrtab = idx++;
	sh[shstrtab].sh_type = SHT_STRTAB;
	sh[shstrtab].sh_name = (uint32_t)shlen;
	strcpy(shstr + shlen, ".shstrtab");
	shlen += strlen(".shstrtab") + 1;
	sh[shstrtab].sh_size = shlen;
	sh[shstrtab].sh_addralign = 1;
	sh[shstrtab].sh_offset = put(&img, &n, shstr, shlen, 1);

	elf_ehdr_init(&eh, ET_REL);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = (uint16_t)idx;
	eh.e_shstrndx = (uint16_t)shstrtab;
	eh.e_shoff = put(&img, &n, sh, (size_t)idx * sizeof(Elf64_Shdr), 8);
	memcpy(img, &eh, sizeof(eh));

	for (int i = 1; i < nuser; i++) {
		free(g->sec[i].data);
		free(g->sec[i].rela);
	}
	free(g);
	/* An 8-aligned private copy, as the kernel's copy of an image would be. */
	uint8_t *out = aligned_alloc(8, (n + 7) & ~(size_t)7);
	memcpy(out, img, n);
	free(img);
	*len = n;
	return out;
}

Elf64_Ehdr *eg_ehdr(uint8_t *img)
{
	return (Elf64_Ehdr *)img;
}

Elf64_Shdr *eg_shdr(uint8_t *img, int idx)
{
	return (Elf64_Shdr *)(img + eg_ehdr(img)->e_shoff) + idx;
}

int eg_find(uint8_t *img, const char *name)
{
	Elf64_Ehdr *eh = eg_ehdr(img);
	const char *str = (const char *)img + eg_shdr(img, eh->e_shstrndx)->sh_offset;

	for (int i = 0; i < eh->e_shnum; i++)
		if (strcmp(str + eg_shdr(img, i)->sh_name, name) == 0)
			return i;
	return -1;
}

Elf64_Sym *eg_sym(uint8_t *img, int idx)
{
	return (Elf64_Sym *)(img + eg_shdr(img, eg_find(img, ".symtab"))->sh_offset) + idx;
}

struct eg *eg_module(const char *name, const char *extra_modinfo, size_t extra_len, int *text)
{
	static const uint8_t code[16] = { 0x31, 0xc0, 0xc3, 0x90, 0x90, 0x90, 0x90, 0x90,
					  0xc3, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90 };
	struct mv_this_module tm = { .abi = MV_MODULE_ABI };
	struct mv_modversion v = { .crc = 0x1234, .name = "printk" };
	char info[1024];
	size_t ilen = 0;
	struct eg *g = eg_new();
	int t, m, init, exit_;

	strncpy(tm.name, name, sizeof(tm.name) - 1);
	if (!extra_modinfo || strncmp(extra_modinfo, "license=", 8) != 0)
		ilen += (size_t)sprintf(info + ilen, "license=GPL") + 1;
	ilen += (size_t)sprintf(info + ilen, "vermagic=%s", MODVISOR_VERMAGIC) + 1;
	if (extra_modinfo) {
		memcpy(info + ilen, extra_modinfo, extra_len);
		ilen += extra_len;
	}
	t = eg_section(g, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, code, sizeof(code), 16);
	m = eg_section(g, ".gnu.linkonce.this_module", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
		       &tm, sizeof(tm), 64);
	eg_section(g, ".modinfo", SHT_PROGBITS, SHF_ALLOC, info, ilen, 1);
	eg_section(g, "__versions", SHT_PROGBITS, SHF_ALLOC, &v, sizeof(v), 32);
	init = eg_symbol(g, "init_module", t, 0, STB_GLOBAL, STT_FUNC);
	exit_ = eg_symbol(g, "cleanup_module", t, 8, STB_GLOBAL, STT_FUNC);
	eg_rela(g, m, EG_THIS_MODULE_INIT, R_X86_64_64, init, 0);
	eg_rela(g, m, EG_THIS_MODULE_EXIT, R_X86_64_64, exit_, 0);
	if (text)
		*text = t;
	return g;
}
