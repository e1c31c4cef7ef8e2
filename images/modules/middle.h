/* middle.h: what middle.ko exports to top.ko. */
#ifndef MV_SAMPLE_MIDDLE_H
#define MV_SAMPLE_MIDDLE_H

/* middle_add3(a, b, c): a + b + c through exporter_add(); EXPORT_SYMBOL. */
int middle_add3(int a, int b, int c);

#endif
