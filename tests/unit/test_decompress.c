/* test_decompress.c: Check tests of guest/module/decompress.c on data compressed at test time by gzip, xz and zstd. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decompress.h"
#include "check_main.h"

/*
 * Built twice (tests/unit/decompress.mk): test_decompress with every method,
 * test_decompress_nozstd with MDC_HAVE_ZSTD=0, where every zstd stream must
 * give EOPNOTSUPP and the method list must say "gzip xz".
 */
#ifndef MDC_HAVE_ZSTD
#define MDC_HAVE_ZSTD 1
#endif

static char tmpdir[] = "/tmp/mv-test-decompress.XXXXXX";

/* ---- test data and the compression tools ----------------------------------- */

/* Text-like, compressible bytes: what a module's strings and code look like to a compressor. */
static uint8_t *make_text(size_t len)
{
	uint8_t *p = malloc(len);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t i = 0;

	ck_assert_ptr_nonnull(p);
	while (i < len) {
		char word[32];
		int n;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = snprintf(word, sizeof(word), "sym_%u=%u ", (unsigned)(x % 500),
			     (unsigned)(x >> 40) % 97);
		for (int k = 0; k < n && i < len; k++)
			p[i++] = (uint8_t)word[k];
	}
	return p;
}

/*
 * Random bytes repeated once, half apart: only a decoder honouring a
 * dictionary of at least len/2 bytes can reproduce the stream an encoder
 * makes with a large dictionary (Linux's in-kernel xz stops at 1 MiB).
 */
static uint8_t *make_far(size_t len)
{
	uint8_t *p = malloc(len);
	uint64_t x = 88172645463325252ull;

	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < len / 2; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		p[i] = (uint8_t)(x >> 32);
	}
	memcpy(p + len / 2, p, len - len / 2);
	return p;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	ck_assert_msg(f != NULL, "%s: cannot open", path);
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return buf;
}

/*
 * tool(cmd, in, inlen, outlen): run the shell command cmd with the input
 * file as stdin ($IN names it too) and return its stdout.
 */
static uint8_t *tool(const char *cmd, const void *in, size_t inlen, size_t *outlen)
{
	char inpath[128], outpath[128], sh[1024];
	FILE *f;

	snprintf(inpath, sizeof(inpath), "%s/in", tmpdir);
	snprintf(outpath, sizeof(outpath), "%s/out", tmpdir);
	f = fopen(inpath, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(in, 1, inlen, f), inlen);
	fclose(f);
	snprintf(sh, sizeof(sh), "IN=%s; (%s) < %s > %s", inpath, cmd, inpath, outpath);
	ck_assert_msg(system(sh) == 0, "`%s` failed (gzip, xz and zstd must be installed)", cmd);
	return read_file(outpath, outlen);
}

/* Decompress z with cap, expect err; on success the output must be want[0..wantlen). */
static void expect(const char *what, const uint8_t *z, size_t zlen, size_t cap, int err,
		   const uint8_t *want, size_t wantlen)
{
	struct mdc_image img;
	int ret = module_decompress(z, zlen, cap, &img);

	ck_assert_msg(ret == err, "%s: got %d (%s), want %d", what, ret, mdc_last_error(), err);
	if (ret) {
		ck_assert_ptr_null(img.data);
		ck_assert_msg(mdc_last_error()[0], "%s: no reason recorded", what);
		return;
	}
	ck_assert_msg(img.len == wantlen, "%s: %zu bytes, want %zu", what, img.len, wantlen);
	ck_assert_msg(!memcmp(img.data, want, wantlen), "%s: output differs", what);
	module_decompress_free(&img);
	ck_assert_ptr_null(img.data);
}

/* ---- methods, magic ---------------------------------------------------------- */

START_TEST(methods_listed)
{
	ck_assert_str_eq(mdc_methods(), MDC_HAVE_ZSTD ? "gzip xz zstd" : "gzip xz");
	ck_assert(mdc_built_in(MDC_GZIP));
	ck_assert(mdc_built_in(MDC_XZ));
	ck_assert_int_eq(mdc_built_in(MDC_ZSTD), MDC_HAVE_ZSTD);
	ck_assert(!mdc_built_in(MDC_UNKNOWN));
	ck_assert_str_eq(mdc_method_name(MDC_ZSTD), "zstd");
}
END_TEST

START_TEST(magic_detected)
{
	ck_assert_int_eq(mdc_detect("\x1f\x8b\x08\0", 4), MDC_GZIP);
	ck_assert_int_eq(mdc_detect("\xfd\x37\x7a\x58\x5a\x00", 6), MDC_XZ);
	ck_assert_int_eq(mdc_detect("\x28\xb5\x2f\xfd", 4), MDC_ZSTD);
	ck_assert_int_eq(mdc_detect("\x1f\x8b\x09", 3), MDC_UNKNOWN);   /* not deflate */
	ck_assert_int_eq(mdc_detect("\xfd\x37\x7a\x58\x5a", 5), MDC_UNKNOWN); /* short */
	ck_assert_int_eq(mdc_detect("\x7f" "ELF", 4), MDC_UNKNOWN);
	ck_assert_int_eq(mdc_detect("", 0), MDC_UNKNOWN);
}
END_TEST

START_TEST(unknown_magic_einval)
{
	static const uint8_t elf[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	expect("ELF", elf, sizeof(elf), MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
	expect("empty", elf, 0, MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
	expect("gzip method 9", (const uint8_t *)"\x1f\x8b\x09\0\0\0\0\0", 8,
	       MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
	expect("bare gzip magic", (const uint8_t *)"\x1f\x8b\x08", 3,
	       MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
	expect("bare xz magic", (const uint8_t *)"\xfd\x37\x7a\x58\x5a\x00", 6,
	       MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
	expect("bare zstd magic", (const uint8_t *)"\x28\xb5\x2f\xfd", 4, MDC_DEFAULT_MAX,
	       MDC_HAVE_ZSTD ? -EINVAL : -EOPNOTSUPP, NULL, 0);
}
END_TEST

/* ---- every method, as the standard tools make it ----------------------------- */

struct rt_case {
	const char *cmd;
	bool far;               /* the far-match data set instead of text */
	size_t len;
	bool zstd;
};

static const struct rt_case rt_cases[] = {
	{ "gzip -n -9", false, 300000, false },
	{ "gzip -1", false, 300000, false },
	{ "gzip -9 -c", true, 3u << 20, false },
	{ "xz -0", false, 300000, false },
	{ "xz -6", false, 300000, false },
	{ "xz -9", false, 300000, false },                      /* 64 MiB dictionary */
	{ "xz --check=crc32 --lzma2=dict=1MiB", false, 300000, false },   /* kbuild's */
	{ "xz --check=crc64", false, 300000, false },
	{ "xz --check=sha256", false, 300000, false },
	{ "xz --check=none", false, 300000, false },
	{ "xz --check=crc64 --lzma2=dict=8MiB", true, 3u << 20, false },
	{ "xz -T2 --block-size=1MiB", true, 3u << 20, false },   /* several blocks */
	{ "xz --x86 --lzma2=preset=6", false, 300000, false },   /* BCJ filter */
	{ "zstd -q -1", false, 300000, true },
	{ "zstd -q -19", false, 300000, true },
	{ "zstd -q --no-check", false, 300000, true },
	{ "zstd -q -T0", false, 300000, true },                 /* kbuild's */
	{ "zstd -q --long=27 -19", true, 3u << 20, true },
};

START_TEST(roundtrip)
{
	const struct rt_case *c = &rt_cases[_i];
	uint8_t *data, *z;
	size_t zlen;

	if (!MDC_HAVE_ZSTD && !c->zstd)
		return;                 /* test_decompress covers it */
	data = c->far ? make_far(c->len) : make_text(c->len);
	z = tool(c->cmd, data, c->len, &zlen);

	expect(c->cmd, z, zlen, MDC_DEFAULT_MAX, c->zstd && !MDC_HAVE_ZSTD ? -EOPNOTSUPP : 0,
	       data, c->len);
	free(z);
	free(data);
}
END_TEST

/* Expect a refusal of kind fault whose message has needle. */
static void expect_fault(const char *what, const uint8_t *z, size_t zlen, enum mdc_fault fault,
			 const char *needle)
{
	expect(what, z, zlen, MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
	ck_assert_msg(mdc_last_fault() == fault, "%s: fault %s (%s), want %s", what,
		      mdc_fault_name(mdc_last_fault()), mdc_last_error(), mdc_fault_name(fault));
	ck_assert_msg(strstr(mdc_last_error(), needle) != NULL, "%s: '%s' lacks '%s'", what,
		      mdc_last_error(), needle);
}

/*
 * Issue 12, finding 6: exactly one member/stream/frame, the image Linux's
 * module_decompress() makes.  Linux decodes the first and ignores what
 * follows; a second one is refused rather than dropped or appended.  xz
 * stream padding (zero bytes, a multiple of 4) is part of the format and
 * Linux ignores it: accepted.
 */
START_TEST(concatenated)
{
	static const char *const cmds[] = {
		"gzip -c $IN; gzip -c $IN",
		"xz -c $IN; xz -c $IN",
		"zstd -q -c $IN; zstd -q -c $IN",
	};
	size_t len = 100000, zlen;
	uint8_t *data = make_text(len);

	for (int m = 0; m < 3; m++) {
		uint8_t *z = tool(cmds[m], data, len, &zlen);

		if (m == 2 && !MDC_HAVE_ZSTD)
			expect(cmds[m], z, zlen, MDC_DEFAULT_MAX, -EOPNOTSUPP, NULL, 0);
		else
			expect_fault(cmds[m], z, zlen, MDC_FAULT_TRAILING, "another ");
		free(z);
	}
	uint8_t *z = tool("xz -c $IN; printf '\\0\\0\\0\\0\\0\\0\\0\\0'", data, len, &zlen);
	expect("xz + 8 bytes of stream padding", z, zlen, MDC_DEFAULT_MAX, 0, data, len);
	expect_fault("xz + 3 zero bytes (not padding)", z, zlen - 5, MDC_FAULT_TRAILING,
		     "trailing garbage: 3 bytes");
	free(z);
	free(data);
}
END_TEST

/* Linux's gzip header reader skips only FNAME: FEXTRA, FCOMMENT, FHCRC are refused. */
START_TEST(gzip_header_flags)
{
	size_t len = 10000, zlen;
	uint8_t *data = make_text(len), *z = tool("gzip -c $IN", data, len, &zlen);

	ck_assert_int_eq(z[3] & 0x16, 0);
	z[3] |= 0x04;           /* FEXTRA: zlib would read XLEN; Linux inflates the header */
	expect_fault("gzip FEXTRA", z, zlen, MDC_FAULT_FORMAT, "FEXTRA");
	free(z);
	z = tool("gzip -c $IN", data, len, &zlen);
	expect("gzip FNAME", z, zlen, MDC_DEFAULT_MAX, 0, data, len);
	free(z);
	free(data);
}
END_TEST

/* The offset of an xz stream's last block's check field (the bytes before the index). */
static size_t xz_check_end(const uint8_t *z, size_t zlen)
{
	const uint8_t *footer = z + zlen - 12;
	uint32_t bs = footer[4] | footer[5] << 8 | footer[6] << 16 | (uint32_t)footer[7] << 24;

	return zlen - 12 - ((size_t)bs + 1) * 4;
}

static const char *const fault_cmds[] = { "gzip -n -9", "xz", "zstd -q" };

/* Truncated input, a failed check, corrupt data and trailing garbage are told apart. */
START_TEST(fault_kinds)
{
	const char *cmd = fault_cmds[_i];
	size_t len = 200000, zlen;
	uint8_t *data = make_text(len), *z = tool(cmd, data, len, &zlen), *bad = malloc(zlen + 3);
	char what[96];

	if (_i == 2 && !MDC_HAVE_ZSTD)
		goto out;
	snprintf(what, sizeof(what), "%s, cut in half", cmd);
	expect_fault(what, z, zlen / 2, MDC_FAULT_TRUNCATED, "truncated input");
	snprintf(what, sizeof(what), "%s, last byte missing", cmd);
	expect_fault(what, z, zlen - 1, MDC_FAULT_TRUNCATED, "truncated input");
	memcpy(bad, z, zlen);
	/* gzip: CRC-32; xz: the block's CRC-64 before the index; zstd: the frame's checksum. */
	size_t at = _i == 0 ? zlen - 8 : _i == 1 ? xz_check_end(z, zlen) - 1 : zlen - 1;
	bad[at] ^= 0x01;
	snprintf(what, sizeof(what), "%s, check byte %zu flipped", cmd, at);
	expect_fault(what, bad, zlen, MDC_FAULT_CHECK, "check mismatch");
	bad[at] ^= 0x01;
	memcpy(bad + zlen, "xyz", 3);
	snprintf(what, sizeof(what), "%s, trailing garbage", cmd);
	expect_fault(what, bad, zlen + 3, MDC_FAULT_TRAILING, "trailing garbage: 3 bytes");
	/* Corrupt data: a block type no decoder knows, right after the header. */
	memcpy(bad, z, zlen);
	at = _i == 0 ? 10 : _i == 1 ? 12 : 6 + 0;
	if (_i == 0)
		bad[at] = 0x07;         /* deflate BTYPE 11: reserved */
	else if (_i == 1)
		bad[at] = 0x05;         /* xz block header: size byte, then flags; garbage */
	else
		bad[zlen / 2] ^= 0xff;
	snprintf(what, sizeof(what), "%s, corrupt data", cmd);
	expect(what, bad, zlen, MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
	ck_assert_msg(mdc_last_fault() == MDC_FAULT_CORRUPT || (_i == 1 &&
		      mdc_last_fault() == MDC_FAULT_FORMAT), "%s: %s", what, mdc_last_error());
out:
	free(bad);
	free(z);
	free(data);
}
END_TEST

/* ---- corrupt streams ---------------------------------------------------------- */

static const char *const corrupt_cmds[] = { "gzip -n -9", "xz", "zstd -q" };

START_TEST(corrupt)
{
	const char *cmd = corrupt_cmds[_i];
	int want = _i == 2 && !MDC_HAVE_ZSTD ? -EOPNOTSUPP : -EINVAL;
	size_t len = 200000, zlen;
	uint8_t *data = make_text(len), *z = tool(cmd, data, len, &zlen), *bad;
	char what[96];

	snprintf(what, sizeof(what), "%s, cut in half", cmd);
	expect(what, z, zlen / 2, MDC_DEFAULT_MAX, want, NULL, 0);
	snprintf(what, sizeof(what), "%s, last byte missing", cmd);
	expect(what, z, zlen - 1, MDC_DEFAULT_MAX, want, NULL, 0);
	bad = malloc(zlen + 3);
	memcpy(bad, z, zlen);
	bad[zlen / 2] ^= 0x01;
	snprintf(what, sizeof(what), "%s, byte %zu flipped", cmd, zlen / 2);
	expect(what, bad, zlen, MDC_DEFAULT_MAX, want, NULL, 0);
	bad[zlen / 2] ^= 0x01;
	bad[zlen - 5] ^= 0x80;  /* gzip CRC-32, xz stream footer, zstd last block */
	snprintf(what, sizeof(what), "%s, byte %zu flipped", cmd, zlen - 5);
	expect(what, bad, zlen, MDC_DEFAULT_MAX, want, NULL, 0);
	bad[zlen - 5] ^= 0x80;
	memcpy(bad + zlen, "xyz", 3);
	snprintf(what, sizeof(what), "%s, trailing garbage", cmd);
	expect(what, bad, zlen + 3, MDC_DEFAULT_MAX, want, NULL, 0);
	free(bad);
	free(z);
	free(data);
}
END_TEST

/* ---- the cap: bombs end in EFBIG ------------------------------------------------ */

static const char *const bomb_cmds[] = { "gzip -1", "xz -0", "zstd -q -1" };

/* 1 MiB of zeros: exactly the cap is fine, one byte less is a bomb. */
START_TEST(cap_boundary)
{
	const char *cmd = bomb_cmds[_i];
	bool off = _i == 2 && !MDC_HAVE_ZSTD;
	size_t len = 1u << 20, zlen;
	uint8_t *data = calloc(1, len), *z = tool(cmd, data, len, &zlen);

	expect(cmd, z, zlen, len, off ? -EOPNOTSUPP : 0, data, len);
	expect(cmd, z, zlen, len - 1, off ? -EOPNOTSUPP : -EFBIG, NULL, 0);
	expect(cmd, z, zlen, 4096, off ? -EOPNOTSUPP : -EFBIG, NULL, 0);
	free(z);
	free(data);
}
END_TEST

/*
 * A stream whose own size field (xz index, zstd frame content size)
 * exceeds the cap is refused before any output is allocated.  gzip's ISIZE
 * is only an allocation hint: a lying one is corrupt data (EINVAL).
 */
START_TEST(declared_size_over_cap)
{
	static const char *const cmds[] = { "gzip -c $IN", "xz -c $IN", "zstd -q -c $IN" };
	size_t len = 2u << 20, zlen;
	uint8_t *data = calloc(1, len), *z = tool(cmds[_i], data, len, &zlen);

	if (_i == 2 && !MDC_HAVE_ZSTD) {
		expect(cmds[_i], z, zlen, 1u << 20, -EOPNOTSUPP, NULL, 0);
	} else {
		expect(cmds[_i], z, zlen, 1u << 20, -EFBIG, NULL, 0);
		ck_assert_msg(!strstr(mdc_last_error(), "declares") == (_i == 0), "%s: %s",
			      cmds[_i], mdc_last_error());
	}
	if (_i == 0) {          /* ISIZE says 2 GiB, then 16: the length check fails */
		z[zlen - 1] = 0x7f;
		expect("gzip, ISIZE 2 GiB", z, zlen, MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
		memcpy(z + zlen - 4, "\x10\0\0\0", 4);
		expect("gzip, ISIZE 16", z, zlen, MDC_DEFAULT_MAX, -EINVAL, NULL, 0);
	}
	free(z);
	free(data);
}
END_TEST

/* 64 MiB + 1 zeros, a few KiB compressed, against the default cap. */
START_TEST(bomb_default_cap)
{
	char cmd[128];
	size_t zlen;
	uint8_t *z;

	if (!MDC_HAVE_ZSTD && _i != 2)
		return;                 /* test_decompress covers it */
	snprintf(cmd, sizeof(cmd), "head -c %llu /dev/zero | %s",
		 (unsigned long long)MDC_DEFAULT_MAX + 1, bomb_cmds[_i]);
	z = tool(cmd, "", 0, &zlen);
	ck_assert_uint_lt(zlen, 1u << 20);
	expect(cmd, z, zlen, MDC_DEFAULT_MAX,
	       _i == 2 && !MDC_HAVE_ZSTD ? -EOPNOTSUPP : -EFBIG, NULL, 0);
	free(z);
}
END_TEST

/* An xz stream whose dictionary needs more decoder memory than cap + 16 MiB. */
START_TEST(xz_memlimit)
{
	size_t len = 1000, zlen;
	uint8_t *data = make_text(len);
	uint8_t *z = tool("xz -9 < $IN | cat", data, len, &zlen);    /* stdin: 64 MiB dict kept */

	expect("xz -9 with a 1 MiB cap", z, zlen, 1u << 20, -EFBIG, NULL, 0);
	expect("xz -9 with the default cap", z, zlen, MDC_DEFAULT_MAX, 0, data, len);
	free(z);
	free(data);
}
END_TEST

static Suite *decompress_suite(void)
{
	Suite *s = suite_create(MDC_HAVE_ZSTD ? "decompress" : "decompress-nozstd");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, methods_listed);
	tcase_add_test(tc, magic_detected);
	tcase_add_test(tc, unknown_magic_einval);
	tcase_add_loop_test(tc, roundtrip, 0, (int)(sizeof(rt_cases) / sizeof(rt_cases[0])));
	tcase_add_test(tc, concatenated);
	tcase_add_test(tc, gzip_header_flags);
	tcase_add_loop_test(tc, fault_kinds, 0, 3);
	tcase_add_loop_test(tc, corrupt, 0, 3);
	tcase_add_loop_test(tc, cap_boundary, 0, 3);
	tcase_add_loop_test(tc, bomb_default_cap, 0, 3);
	tcase_add_loop_test(tc, declared_size_over_cap, 0, 3);
	tcase_add_test(tc, xz_memlimit);
	suite_add_tcase(s, tc);
	return s;
}

/* unit_suite: the suite, with the temporary directory its tests write to. */
static Suite *unit_suite(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(1);
	}
	return decompress_suite();
}

/* remove_tmpdir: after the run. */
static void remove_tmpdir(void)
{
	char rm[128];

	snprintf(rm, sizeof(rm), "rm -rf %s", tmpdir);
	if (system(rm) != 0)
		fprintf(stderr, "test_decompress: could not remove %s\n", tmpdir);
}

const struct unit_main unit_main = { .suite = unit_suite, .done = remove_tmpdir };
