# tests/build.mk: unit-test binaries; each area adds its own tests/unit/*.mk.
include $(wildcard tests/unit/*.mk)

# The libFuzzer harnesses and `make fuzz` (tests/fuzz/).
include tests/fuzz/build.mk

# Every Check binary links the one main() (tests/unit/check_main.c); each
# test file defines its `unit_main`.
UNIT_BINS := $(filter $(BUILD)/tests/unit/%,$(TEST_BINS))
$(UNIT_BINS): $(BUILD)/host/tests/unit/check_main.o
