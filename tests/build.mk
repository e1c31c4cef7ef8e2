# tests/build.mk: unit-test binaries; each area adds its own tests/unit/*.mk.
include $(wildcard tests/unit/*.mk)
