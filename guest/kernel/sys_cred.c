/* sys_cred.c: capget/capset: per-process capability sets (commands start with all of them). */
#include "proc.h"
#include "syscalls.h"
#include "uaccess.h"

#define LINUX_CAPABILITY_VERSION_1  0x19980330u
#define LINUX_CAPABILITY_VERSION_2  0x20071026u
#define LINUX_CAPABILITY_VERSION_3  0x20080522u

struct cap_header {
	uint32_t version;
	int32_t pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* Check the header; an unknown version is answered with the one we speak. */
static long cap_header_get(uaddr_t hdrp, unsigned *words)
{
	struct cap_header h;

	if (copy_from_user(&h, hdrp, sizeof(h)))
		return -EFAULT;
	if (h.version == LINUX_CAPABILITY_VERSION_1) {
		*words = 1;
	} else if (h.version == LINUX_CAPABILITY_VERSION_2 ||
		   h.version == LINUX_CAPABILITY_VERSION_3) {
		*words = 2;
	} else {
		h.version = LINUX_CAPABILITY_VERSION_3;
		if (copy_to_user(hdrp, &h, sizeof(h)))
			return -EFAULT;
		return -EINVAL;
	}
	if (h.pid < 0)
		return -EINVAL;
	if (h.pid && h.pid != current->pid)
		return -ESRCH;
	return 0;
}

static long sys_capget(uaddr_t hdrp, uaddr_t datap)
{
	const struct creds *c = &current->cred;
	struct cap_data d[2];
	unsigned words;
	long err = cap_header_get(hdrp, &words);

	if (err || !datap)
		return err;
	for (unsigned i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(c->cap_effective >> (32 * i));
		d[i].permitted = (uint32_t)(c->cap_permitted >> (32 * i));
		d[i].inheritable = (uint32_t)(c->cap_inheritable >> (32 * i));
	}
	return copy_to_user(datap, d, words * sizeof(d[0]));
}
SYSCALL_REGISTER(125, capget, sys_capget);

static uint64_t cap_join(const struct cap_data *d, unsigned words, int which)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < words; i++) {
		uint32_t w = which == 0 ? d[i].effective :
			     which == 1 ? d[i].permitted : d[i].inheritable;

		v |= (uint64_t)w << (32 * i);
	}
	return v & CAP_FULL_SET;
}

/*
 * capset: as Linux for one's own process: permitted may only shrink,
 * effective must stay within permitted, inheritable within permitted.
 */
static long sys_capset(uaddr_t hdrp, uaddr_t datap)
{
	struct creds *c = &current->cred;
	struct cap_data d[2] = { 0 };
	uint64_t eff, perm, inh;
	unsigned words;
	long err = cap_header_get(hdrp, &words);

	if (err)
		return err;
	if (copy_from_user(d, datap, words * sizeof(d[0])))
		return -EFAULT;
	eff = cap_join(d, words, 0);
	perm = cap_join(d, words, 1);
	inh = cap_join(d, words, 2);
	if (perm & ~c->cap_permitted)
		return -EPERM;
	if (eff & ~perm)
		return -EPERM;
	if (inh & ~(c->cap_inheritable | c->cap_permitted))
		return -EPERM;
	c->cap_effective = eff;
	c->cap_permitted = perm;
	c->cap_inheritable = inh;
	return 0;
}
SYSCALL_REGISTER(126, capset, sys_capset);

/* Supplementary groups: root has none. */
static long sys_getgroups(int size, uaddr_t list)
{
	(void)list;
	return size < 0 ? -EINVAL : 0;
}
SYSCALL_REGISTER(115, getgroups, sys_getgroups);

static long sys_setgroups(uint64_t size, uaddr_t list)
{
	(void)list;
	if (!capable(6))                /* CAP_SETGID */
		return -EPERM;
	return size > 65536 ? -EINVAL : 0;
}
SYSCALL_REGISTER(116, setgroups, sys_setgroups);

/* Everyone is root: setting the ids to 0 succeeds, anything else is refused. */
static long sys_setuid(uint32_t id)
{
	return id == 0 ? 0 : -EPERM;
}
SYSCALL_REGISTER(105, setuid, sys_setuid);
SYSCALL_REGISTER(106, setgid, sys_setuid);

static long sys_getresuid(uaddr_t r, uaddr_t e, uaddr_t s)
{
	uint32_t zero = 0;

	if (copy_to_user(r, &zero, 4) || copy_to_user(e, &zero, 4) ||
	    copy_to_user(s, &zero, 4))
		return -EFAULT;
	return 0;
}
SYSCALL_REGISTER(118, getresuid, sys_getresuid);
SYSCALL_REGISTER(120, getresgid, sys_getresuid);
