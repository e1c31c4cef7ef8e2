/* test_pipe_buf.c: the pipe ring: capacity, wrap-around, PIPE_BUF atomicity, partial big writes, EFAULT. */
#include <check.h>
#include "check_main.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pipe_buf.h"

/* The hosted file system asks for the current process; there is none here. */
struct vfs_proc *vfs_current(void)
{
	return NULL;
}

static struct pipe_buf b;
static uint8_t src[PIPE_DEF_SIZE + 8192], dst[PIPE_DEF_SIZE + 8192];

static struct vfs_iobuf kbuf(void *p, size_t n)
{
	return (struct vfs_iobuf){ .addr = (uintptr_t)p, .len = n, .user = false };
}

static long put(size_t n)
{
	struct vfs_iobuf s = kbuf(src, n);

	return pipe_buf_put(&b, &s, 0, n);
}

static long get(size_t n)
{
	struct vfs_iobuf d = kbuf(dst, n);

	return pipe_buf_get(&b, &d, 0, n);
}

static void setup(void)
{
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	ck_assert_int_eq(pipe_buf_init(&b, PIPE_DEF_SIZE), 0);
}

static void teardown(void)
{
	pipe_buf_free(&b);
}

START_TEST(linux_capacity)
{
	ck_assert_uint_eq(PIPE_DEF_SIZE, 65536);
	ck_assert_uint_eq(PIPE_BUF, 4096);
	ck_assert_uint_eq(pipe_buf_space(&b), 65536);
	ck_assert_int_eq(put(65536), 65536);
	ck_assert_uint_eq(pipe_buf_space(&b), 0);
	ck_assert_uint_eq(pipe_buf_write_size(&b, 1), 0);
	ck_assert_int_eq(put(1), -EINVAL);              /* more than there is room for */
}
END_TEST

START_TEST(fifo_order_across_wrap)
{
	ck_assert_int_eq(put(60000), 60000);
	ck_assert_int_eq(get(50000), 50000);
	ck_assert_int_eq(memcmp(dst, src, 50000), 0);
	/* The next 13000 bytes wrap around the end of the ring. */
	struct vfs_iobuf s = kbuf(src + 60000, 13000);
	ck_assert_int_eq(pipe_buf_put(&b, &s, 0, 13000), 13000);
	ck_assert_int_eq(get(sizeof(dst)), 23000);     /* a read takes what there is */
	ck_assert_int_eq(memcmp(dst, src + 50000, 23000), 0);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(get(10), 0);
}
END_TEST

START_TEST(pipe_buf_atomicity)
{
	ck_assert_int_eq(put(65536 - 300), 65536 - 300);
	/* <= PIPE_BUF: all or nothing. */
	ck_assert_uint_eq(pipe_buf_write_size(&b, 300), 300);
	ck_assert_uint_eq(pipe_buf_write_size(&b, 301), 0);
	ck_assert_uint_eq(pipe_buf_write_size(&b, 4096), 0);
	/* > PIPE_BUF: what fits. */
	ck_assert_uint_eq(pipe_buf_write_size(&b, 4097), 300);
	ck_assert_uint_eq(pipe_buf_write_size(&b, 8192), 300);
}
END_TEST

START_TEST(offsets_into_the_source)
{
	struct vfs_iobuf s = kbuf(src, 100), d = kbuf(dst, 100);

	ck_assert_int_eq(pipe_buf_put(&b, &s, 40, 60), 60);
	ck_assert_int_eq(pipe_buf_get(&b, &d, 10, 60), 60);
	ck_assert_mem_eq(dst + 10, src + 40, 60);
}
END_TEST

START_TEST(efault_changes_nothing)
{
	struct vfs_iobuf bad = { .addr = 16, .len = 10, .user = true };

	ck_assert_int_eq(put(10), 10);
	ck_assert_int_eq(pipe_buf_put(&b, &bad, 0, 10), -EFAULT);
	ck_assert_uint_eq(b.len, 10);
	ck_assert_int_eq(pipe_buf_get(&b, &bad, 0, 10), -EFAULT);
	ck_assert_uint_eq(b.len, 10);
	ck_assert_int_eq(get(10), 10);
	ck_assert_mem_eq(dst, src, 10);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("pipe_buf");
	TCase *tc = tcase_create("ring");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, linux_capacity);
	tcase_add_test(tc, fifo_order_across_wrap);
	tcase_add_test(tc, pipe_buf_atomicity);
	tcase_add_test(tc, offsets_into_the_source);
	tcase_add_test(tc, efault_changes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
