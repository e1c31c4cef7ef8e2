/* kapi.c: every SDK header that declares the guest kernel's exports; modpost computes their CRCs from it. */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
