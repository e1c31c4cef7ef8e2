/* sysfs_module.c: /proc/modules in Linux's format and /sys/module/NAME/{initstate,refcnt,taint,coresize,initsize,holders,parameters}. */
#include <kernel.h>
#include <mm.h>
#include <pseudofs.h>
#include "params.h"
#include "sysfs_module.h"

/* Taint letters a module can carry, in Linux's bit order. */
static const struct { unsigned bit; char c; } taint_letters[] = {
	{ MV_TAINT_PROPRIETARY_MODULE, 'P' }, { MV_TAINT_FORCED_MODULE, 'F' },
	{ MV_TAINT_OOT_MODULE, 'O' }, { MV_TAINT_UNSIGNED_MODULE, 'E' },
};

char *sysfs_module_flags(const struct module *mod, char *buf, bool parens)
{
	size_t n = 0;

	if (parens && (mod->taints || mod->state != MOD_STATE_LIVE))
		buf[n++] = '(';
	for (size_t i = 0; i < ARRAY_SIZE(taint_letters); i++)
		if (mod->taints & (1u << taint_letters[i].bit))
			buf[n++] = taint_letters[i].c;
	if (parens && n) {
		if (mod->state == MOD_STATE_GOING)
			buf[n++] = '-';
		else if (mod->state == MOD_STATE_COMING)
			buf[n++] = '+';
		buf[n++] = ')';
	}
	buf[n] = '\0';
	return buf;
}

static const char *state_word(const struct module *mod, bool proc)
{
	switch (mod->state) {
	case MOD_STATE_COMING:
		return proc ? "Loading" : "coming";
	case MOD_STATE_GOING:
		return proc ? "Unloading" : "going";
	default:
		return proc ? "Live" : "live";
	}
}

/* "name size refcnt users state address [(taints)]", as Linux's m_show(). */
static int show_modules(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	for (struct module *m = mod_first(); m; m = m->next) {
		bool any = false;
		char flags[16];

		if (m->state == MOD_STATE_UNFORMED)
			continue;
		pbuf_printf(out, "%s %llu %u ", m->name,
			    (unsigned long long)mod_total_size(m), m->refcnt);
		for (struct module *u = mod_first(); u; u = u->next) {
			if (u != m && mod_uses(u, m)) {
				pbuf_printf(out, "%s,", u->name);
				any = true;
			}
		}
		if (m->init_fn && !m->exit_fn) {
			pbuf_printf(out, "[permanent],");
			any = true;
		}
		pbuf_printf(out, "%s %s 0x%016llx", any ? "" : "-", state_word(m, true),
			    (unsigned long long)m->core.mem.va);
		if (m->taints)
			pbuf_printf(out, " %s", sysfs_module_flags(m, flags, true));
		pbuf_printf(out, "\n");
	}
	return out->err;
}

void sysfs_module_init(void)
{
	static bool done;

	if (!done) {
		procfs_set_modules(show_modules, NULL);
		done = true;
	}
}

static int show_initstate(struct pseudo_buf *out, void *priv)
{
	return pbuf_printf(out, "%s\n", state_word(priv, false)) < 0 ? out->err : 0;
}

static int show_refcnt(struct pseudo_buf *out, void *priv)
{
	const struct module *mod = priv;

	return pbuf_printf(out, "%u\n", mod->refcnt) < 0 ? out->err : 0;
}

/* coresize and initsize: Linux's core_layout.size and init_layout.size (0 once init ran). */
static int show_coresize(struct pseudo_buf *out, void *priv)
{
	const struct module *mod = priv;

	return pbuf_printf(out, "%llu\n", (unsigned long long)mod->core.size) < 0 ? out->err : 0;
}

static int show_initsize(struct pseudo_buf *out, void *priv)
{
	const struct module *mod = priv;

	return pbuf_printf(out, "%llu\n", (unsigned long long)mod->init.size) < 0 ? out->err : 0;
}

/* holders/USER -> ../../USER, as Linux's sysfs_add_link(); priv is the user. */
static int show_holder(struct pseudo_buf *out, void *priv)
{
	const struct module *user = priv;

	return pbuf_printf(out, "../../%s", user->name) < 0 ? out->err : 0;
}

/* holders_dir(mod): /sys/module/NAME/holders of mod (made by sysfs_module_add), or NULL. */
static struct inode *holders_dir(const struct module *mod)
{
	return mod->sysfs ? pseudo_mkdir(mod->sysfs, "holders", 0755) : NULL;
}

/* add_holder_links(mod): mod is live: a link to it in the holders/ of each module it uses. */
static void add_holder_links(struct module *mod)
{
	for (const struct mod_use *u = mod->uses; u; u = u->next) {
		struct inode *h = holders_dir(u->target);

		if (!h || pseudo_create_link(h, mod->name, show_holder, mod) != 0)
			printk("%s: cannot create /sys/module/%s/holders/%s\n", mod->name,
			       u->target->name, mod->name);
	}
}

void sysfs_module_unlink_holders(const char *name)
{
	for (struct module *m = mod_first(); m; m = m->next)
		pseudo_remove_name(holders_dir(m), name);
}

static int show_taint(struct pseudo_buf *out, void *priv)
{
	char flags[16];

	return pbuf_printf(out, "%s\n", sysfs_module_flags(priv, flags, false)) < 0 ?
	       out->err : 0;
}

static int show_param(struct pseudo_buf *out, void *priv)
{
	char *buf = kmalloc(PARAMS_BUF_SIZE);
	int n;

	if (!buf)
		return -ENOMEM;
	n = params_sysfs_show(priv, buf);
	if (n >= 0)
		pbuf_write(out, buf, (size_t)n);
	kfree(buf);
	return n < 0 ? n : out->err;
}

/* A write to /sys/module/NAME/parameters/P; an unsafe one taints the kernel. */
static long store_param(const char *buf, size_t len, void *priv)
{
	long ret = params_sysfs_store(priv, buf, len);

	if (params_kernel_taints() & (1u << MV_TAINT_USER))
		kernel_add_taint(MV_TAINT_USER);
	return ret;
}

static void add_params(struct module *mod, struct inode *dir)
{
	struct inode *pdir = NULL;

	for (uint32_t i = 0; i < mod->num_kp; i++) {
		struct mv_kernel_param *kp = &mod->kp[i];

		if (!params_sysfs_visible(kp))
			continue;
		if (!pdir)
			pdir = pseudo_mkdir(dir, "parameters", 0755);
		if (!pdir || pseudo_create_file(pdir, (const char *)kp->name, kp->perm & 0777,
						show_param, (kp->perm & 0222) ? store_param : NULL,
						kp) != 0)
			printk("%s: cannot create /sys/module/%s/parameters/%s\n", mod->name,
			       mod->name, (const char *)kp->name);
	}
}

void sysfs_module_add(struct module *mod)
{
	char path[8 + MV_MODULE_NAME_LEN];
	struct inode *dir;

	snprintf(path, sizeof(path), "module/%s", mod->name);
	dir = sysfs_create_dir(path);
	if (!dir) {
		printk("%s: cannot create /sys/%s\n", mod->name, path);
		return;
	}
	mod->sysfs = dir;
	if (pseudo_create_file(dir, "initstate", 0444, show_initstate, NULL, mod) ||
	    pseudo_create_file(dir, "refcnt", 0444, show_refcnt, NULL, mod) ||
	    pseudo_create_file(dir, "taint", 0444, show_taint, NULL, mod) ||
	    pseudo_create_file(dir, "coresize", 0444, show_coresize, NULL, mod) ||
	    pseudo_create_file(dir, "initsize", 0444, show_initsize, NULL, mod) ||
	    !pseudo_mkdir(dir, "holders", 0755))
		printk("%s: cannot populate /sys/%s\n", mod->name, path);
	add_params(mod, dir);
	add_holder_links(mod);
}

void sysfs_module_remove(void *node)
{
	if (node)
		pseudo_remove(node);
}
