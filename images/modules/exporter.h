/* exporter.h: what exporter.ko exports to importer.ko (and to bad/bad-gpl-import.ko). */
#ifndef MV_SAMPLE_EXPORTER_H
#define MV_SAMPLE_EXPORTER_H

/* exporter_add(a, b): a + b, counting calls; EXPORT_SYMBOL. */
int exporter_add(int a, int b);
/* exporter_greeting(): a static string; EXPORT_SYMBOL_GPL. */
const char *exporter_greeting(void);
/* exporter_calls: how many times exporter_add() ran; EXPORT_SYMBOL. */
extern int exporter_calls;

#endif
