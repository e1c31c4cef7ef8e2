# images/build.mk: guest images under build/images/; each recipe adds images/*/build.mk.
include $(wildcard images/*/build.mk)
