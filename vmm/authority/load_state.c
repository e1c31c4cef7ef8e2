/* load_state.c: the host's state machine for each load id (finding 7 of issue 12). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/abi/hypercall.h>
#include "load_state.h"

const char *load_state_name(enum load_state s)
{
	static const char *const names[LOAD_NSTATES] = {
		[LOAD_NONE] = "never-issued", [LOAD_DENIED] = "denied",
		[LOAD_ALLOWED] = "allowed", [LOAD_INIT_STARTED] = "init-started",
		[LOAD_LIVE] = "live", [LOAD_FAILED] = "failed", [LOAD_FAULTED] = "faulted",
		[LOAD_UNLOADED] = "unloaded", [LOAD_SEALED] = "sealed",
	};

	return (unsigned)s < LOAD_NSTATES ? names[s] : "?";
}

/* The one table of legal moves: from which state each event may come, and where it goes. */
int load_state_next(enum load_state cur, uint32_t event, enum load_state *next)
{
	static const struct { uint32_t event; enum load_state from, to; } moves[] = {
		{ MV_MODEV_INIT_START,  LOAD_ALLOWED,      LOAD_INIT_STARTED },
		{ MV_MODEV_LOADED,      LOAD_ALLOWED,      LOAD_LIVE },
		{ MV_MODEV_LOAD_FAILED, LOAD_ALLOWED,      LOAD_FAILED },
		{ LOAD_EV_SEAL,         LOAD_ALLOWED,      LOAD_SEALED },
		{ MV_MODEV_INIT_START,  LOAD_SEALED,       LOAD_INIT_STARTED },
		{ MV_MODEV_LOADED,      LOAD_SEALED,       LOAD_LIVE },
		{ MV_MODEV_LOAD_FAILED, LOAD_SEALED,       LOAD_FAILED },
		{ MV_MODEV_LOADED,      LOAD_INIT_STARTED, LOAD_LIVE },
		{ MV_MODEV_INIT_FAILED, LOAD_INIT_STARTED, LOAD_FAILED },
		{ MV_MODEV_INIT_FAULT,  LOAD_INIT_STARTED, LOAD_FAULTED },
		{ MV_MODEV_UNLOADED,    LOAD_LIVE,         LOAD_UNLOADED },
	};

	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (moves[i].event == event && moves[i].from == cur) {
			*next = moves[i].to;
			return 0;
		}
	}
	return -EINVAL;
}

enum load_state load_states_get(const struct load_states *ls, uint32_t id)
{
	return id < ls->cap ? (enum load_state)ls->state[id] : LOAD_NONE;
}

int load_states_set(struct load_states *ls, uint32_t id, enum load_state s)
{
	uint32_t cap = ls->cap ? ls->cap : 1024;
	uint8_t *p;

	if (id == 0)
		return -EINVAL;
	while (cap <= id) {
		if (cap > UINT32_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	if (cap != ls->cap) {
		p = realloc(ls->state, cap);
		if (!p)
			return -ENOMEM;
		memset(p + ls->cap, LOAD_NONE, cap - ls->cap);
		ls->state = p;
		ls->cap = cap;
	}
	ls->state[id] = (uint8_t)s;
	return 0;
}

void load_states_free(struct load_states *ls)
{
	free(ls->state);
	ls->state = NULL;
	ls->cap = 0;
}
