/* load_state.h: the life of each load id on the host: allowed, init started, then an outcome, then unloaded. */
#ifndef MODVISOR_VMM_LOAD_STATE_H
#define MODVISOR_VMM_LOAD_STATE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Where a load id stands.  The host issues an id with each verdict; only
 * an allowed id can take events, and each event must fit the id's state:
 *
 *   ALLOWED --INIT_START--> INIT_STARTED --LOADED--> LIVE --UNLOADED--> UNLOADED
 *      |                         |--INIT_FAILED--> FAILED
 *      |                         `--INIT_FAULT---> FAULTED
 *      |--LOADED (a module without init)--> LIVE
 *      |--LOAD_FAILED--> FAILED
 *      `--SEAL--> SEALED, which takes INIT_START, LOADED and LOAD_FAILED as
 *                 ALLOWED does
 *
 * SEAL is the host's own move (MV_HC_MODULE_SEAL succeeded, LOAD_EV_SEAL).
 * With protect = on the authority refuses INIT_START and LOADED from
 * ALLOWED: no module runs unsealed (authority_event_step()).
 * FAILED, FAULTED and UNLOADED are final.  Anything else (a replayed
 * "loaded", an unload of a module that never went live, an init outcome
 * without an init, any event for id 0, a denied or never-issued id) is a
 * forged event: the host refuses it, logs the refusal and stops the VM.
 */
enum load_state {
	LOAD_NONE = 0,          /* never issued */
	LOAD_DENIED,            /* the verdict was deny: no event may follow */
	LOAD_ALLOWED,           /* the verdict was allow */
	LOAD_INIT_STARTED,      /* MV_MODEV_INIT_START: init is running */
	LOAD_LIVE,              /* MV_MODEV_LOADED */
	LOAD_FAILED,            /* LOAD_FAILED or INIT_FAILED */
	LOAD_FAULTED,           /* INIT_FAULT: init faulted or its watchdog fired */
	LOAD_UNLOADED,          /* MV_MODEV_UNLOADED */
	LOAD_SEALED,            /* MV_HC_MODULE_SEAL succeeded: init may start */
	LOAD_NSTATES
};

/* The move of a successful MV_HC_MODULE_SEAL (not an enum mv_modevent). */
#define LOAD_EV_SEAL    0x100u
/* MV_HC_MODULE_UNSEAL, for the log's `refused` entries (it moves no state). */
#define LOAD_EV_UNSEAL  0x101u

/*
 * Whether a load id's pages are sealed: a daemon keeps this per VM, from
 * the SEAL and UNSEAL records a modvisor VMM sends (authority_seal_step()),
 * in a struct load_states of its own (the bytes hold these values).
 */
enum seal_state {
	SEAL_NONE = 0,          /* never sealed */
	SEAL_SEALED,            /* text+rodata read-only */
	SEAL_UNSEALED,          /* unsealed after its unload or failure */
};

/* The state of every id issued so far (one byte each, grown as ids are issued). */
struct load_states {
	uint8_t *state;         /* enum load_state, indexed by load id */
	uint32_t cap;           /* entries allocated */
};

/* load_state_name(s): "allowed", "init-started", ...; "?" when out of range. */
const char *load_state_name(enum load_state s);

/*
 * load_state_next(cur, event, next): the state an id in cur moves to on
 * event (enum mv_modevent).  Returns 0 with *next set, or -EINVAL when the
 * event does not fit cur (or is no known event).
 */
int load_state_next(enum load_state cur, uint32_t event, enum load_state *next);

/*
 * load_states_get(ls, id): the state of id; LOAD_NONE for any id never
 * set (including id 0, which names no load).
 */
enum load_state load_states_get(const struct load_states *ls, uint32_t id);

/*
 * load_states_set(ls, id, s): record s for id (id > 0), growing the table.
 * Returns 0, -EINVAL for id 0, or -ENOMEM.
 */
int load_states_set(struct load_states *ls, uint32_t id, enum load_state s);

/* load_states_free(ls): free the table; ls may be reused after. */
void load_states_free(struct load_states *ls);

#endif
