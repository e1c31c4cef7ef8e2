# shared/build.mk: freestanding parsers compiled once for each side.
SHARED_SRCS       := $(wildcard shared/lib/*.c)
SHARED_HOST_OBJS  := $(SHARED_SRCS:%.c=$(BUILD)/host/%.o)
SHARED_GUEST_OBJS := $(SHARED_SRCS:%.c=$(BUILD)/guest/%.o)
