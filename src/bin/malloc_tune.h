/*
 * malloc_tune.h: the allocator settings of the programs that run an
 * engine (sluiced, sluice, sluice-test).
 *
 * Stage: bin.  configure links mimalloc into them when it is installed
 * (HAVE_MIMALLOC; docs/building.md).  mimalloc gives memory back to the
 * system 25 ms after it is freed and faults it in again when it is
 * reused: a push query fed by a persistent query at 10,000 records/s then
 * had a p99 of 124 ms instead of 44 ms (bench/serving.sh).  A second
 * keeps the memory of a steady flow without keeping a burst's for long.
 */
#ifndef SL_BIN_MALLOC_TUNE_H
#define SL_BIN_MALLOC_TUNE_H

#include <stdlib.h>

#ifdef HAVE_MIMALLOC
#include <mimalloc.h>
#endif

/* Call first thing in main(). */
static inline void
sl_malloc_tune(void)
{
#ifdef HAVE_MIMALLOC
	if (getenv("MIMALLOC_DECOMMIT_DELAY") == NULL)
		mi_option_set(mi_option_decommit_delay, 1000);
	if (getenv("MIMALLOC_SEGMENT_DECOMMIT_DELAY") == NULL)
		mi_option_set(mi_option_segment_decommit_delay, 1000);
#endif
}

#endif
