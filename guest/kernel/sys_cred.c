/* sys_cred.c: credentials: set*uid/set*gid with Linux's rules, supplementary groups, capget/capset. */
#include "proc.h"
#include "syscalls.h"
#include "uaccess.h"
#include "vfs.h"

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

#define CAP_SETGID  6
#define CAP_SETUID  7
#define NO_ID       0xffffffffu     /* -1: leave unchanged */
#define NGROUPS_MAX 65536

/* The file system checks access with the effective ids (Linux's fsuid/fsgid). */
static void cred_sync_fs(struct process *p)
{
	if (p->fs) {
		p->fs->uid = p->cred.euid;
		p->fs->gid = p->cred.egid;
	}
}

/*
 * Linux's capability rules for uid changes (capabilities(7)): leaving euid
 * 0 clears the effective set; when no uid is 0 any more, the permitted set
 * goes too; coming back to euid 0 restores effective from permitted.
 */
static void cred_fix_caps(struct creds *c, uint32_t old_ruid, uint32_t old_euid,
			  uint32_t old_suid)
{
	bool was_root = !old_ruid || !old_euid || !old_suid;

	if (was_root && c->uid && c->euid && c->suid) {
		c->cap_permitted = c->cap_effective = 0;
		return;
	}
	if (!old_euid && c->euid)
		c->cap_effective = 0;
	if (old_euid && !c->euid)
		c->cap_effective = c->cap_permitted;
}

/* May an unprivileged caller take id?  Only one of its own three. */
static bool id_own(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return id == r || id == e || id == s;
}

/* setresuid/setresgid core: ids[3] as asked (NO_ID = unchanged) onto r, e, s. */
static long set_res(uint32_t *r, uint32_t *e, uint32_t *s, const uint32_t ids[3], int cap)
{
	for (int i = 0; i < 3; i++)
		if (ids[i] != NO_ID && !capable(cap) && !id_own(ids[i], *r, *e, *s))
			return -EPERM;
	if (ids[0] != NO_ID)
		*r = ids[0];
	if (ids[1] != NO_ID)
		*e = ids[1];
	if (ids[2] != NO_ID)
		*s = ids[2];
	return 0;
}

/* After a change of the uids: capabilities and the file system ids. */
static long uid_changed(long err, const struct creds *old)
{
	struct creds *c = &current->cred;

	if (!err)
		cred_fix_caps(c, old->uid, old->euid, old->suid);
	cred_sync_fs(current);
	return err;
}

static long sys_setresuid(uint32_t r, uint32_t e, uint32_t s)
{
	struct creds *c = &current->cred, old = *c;
	uint32_t ids[3] = { r, e, s };

	return uid_changed(set_res(&c->uid, &c->euid, &c->suid, ids, CAP_SETUID), &old);
}
SYSCALL_REGISTER(117, setresuid, sys_setresuid);

static long sys_setresgid(uint32_t r, uint32_t e, uint32_t s)
{
	struct creds *c = &current->cred;
	uint32_t ids[3] = { r, e, s };
	long err = set_res(&c->gid, &c->egid, &c->sgid, ids, CAP_SETGID);

	cred_sync_fs(current);
	return err;
}
SYSCALL_REGISTER(119, setresgid, sys_setresgid);

/* setreuid/setregid: a new real id, or an effective one other than the old real id, sets saved too. */
static long set_re(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t nr, uint32_t ne, int cap)
{
	uint32_t old_r = *r;

	if (!capable(cap)) {
		if (nr != NO_ID && nr != *r && nr != *e)
			return -EPERM;
		if (ne != NO_ID && !id_own(ne, *r, *e, *s))
			return -EPERM;
	}
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (nr != NO_ID || (ne != NO_ID && ne != old_r))
		*s = *e;
	return 0;
}

static long sys_setreuid(uint32_t r, uint32_t e)
{
	struct creds *c = &current->cred, old = *c;

	return uid_changed(set_re(&c->uid, &c->euid, &c->suid, r, e, CAP_SETUID), &old);
}
SYSCALL_REGISTER(113, setreuid, sys_setreuid);

static long sys_setregid(uint32_t r, uint32_t e)
{
	struct creds *c = &current->cred;
	long err = set_re(&c->gid, &c->egid, &c->sgid, r, e, CAP_SETGID);

	cred_sync_fs(current);
	return err;
}
SYSCALL_REGISTER(114, setregid, sys_setregid);

/* setuid: privileged sets all three; else only the effective id, to the real or saved one. */
static long sys_setuid(uint32_t id)
{
	struct creds *c = &current->cred, old = *c;

	if (id == NO_ID)
		return -EINVAL;
	if (capable(CAP_SETUID))
		c->uid = c->euid = c->suid = id;
	else if (id == c->uid || id == c->suid)
		c->euid = id;
	else
		return -EPERM;
	return uid_changed(0, &old);
}
SYSCALL_REGISTER(105, setuid, sys_setuid);

static long sys_setgid(uint32_t id)
{
	struct creds *c = &current->cred;

	if (id == NO_ID)
		return -EINVAL;
	if (capable(CAP_SETGID))
		c->gid = c->egid = c->sgid = id;
	else if (id == c->gid || id == c->sgid)
		c->egid = id;
	else
		return -EPERM;
	cred_sync_fs(current);
	return 0;
}
SYSCALL_REGISTER(106, setgid, sys_setgid);

/* setfsuid/setfsgid: return the old id; the file system follows the effective id. */
static long sys_setfsuid(uint32_t id)
{
	(void)id;
	return current->cred.euid;
}
SYSCALL_REGISTER(122, setfsuid, sys_setfsuid);

static long sys_setfsgid(uint32_t id)
{
	(void)id;
	return current->cred.egid;
}
SYSCALL_REGISTER(123, setfsgid, sys_setfsgid);

static long put_three(uaddr_t a, uaddr_t b, uaddr_t c, const uint32_t v[3])
{
	if (copy_to_user(a, &v[0], 4) || copy_to_user(b, &v[1], 4) || copy_to_user(c, &v[2], 4))
		return -EFAULT;
	return 0;
}

static long sys_getresuid(uaddr_t r, uaddr_t e, uaddr_t s)
{
	const struct creds *c = &current->cred;
	uint32_t v[3] = { c->uid, c->euid, c->suid };

	return put_three(r, e, s, v);
}
SYSCALL_REGISTER(118, getresuid, sys_getresuid);

static long sys_getresgid(uaddr_t r, uaddr_t e, uaddr_t s)
{
	const struct creds *c = &current->cred;
	uint32_t v[3] = { c->gid, c->egid, c->sgid };

	return put_three(r, e, s, v);
}
SYSCALL_REGISTER(120, getresgid, sys_getresgid);

static long sys_getgroups(int size, uaddr_t list)
{
	struct process *p = current;

	if (size < 0)
		return -EINVAL;
	if (size && (uint32_t)size < p->ngroups)
		return -EINVAL;
	if (size && p->ngroups && copy_to_user(list, p->groups, p->ngroups * 4))
		return -EFAULT;
	return p->ngroups;
}
SYSCALL_REGISTER(115, getgroups, sys_getgroups);

static long sys_setgroups(uint64_t size, uaddr_t list)
{
	struct process *p = current;

	if (!capable(CAP_SETGID))
		return -EPERM;
	if (size > NGROUPS_MAX)
		return -EINVAL;
	if (size > PROC_GROUPS_MAX)
		return -ENOMEM;         /* more than this kernel keeps */
	if (size && copy_from_user(p->groups, list, size * 4))
		return -EFAULT;
	p->ngroups = (uint32_t)size;
	return 0;
}
SYSCALL_REGISTER(116, setgroups, sys_setgroups);
