# tests/build.mk: unit-test binaries; each area adds its own tests/unit/*.mk.
include $(wildcard tests/unit/*.mk)

# The libFuzzer harnesses and `make fuzz` (tests/fuzz/).
include tests/fuzz/build.mk
