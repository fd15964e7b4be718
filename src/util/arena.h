/*
 * arena.h: region allocator, one per lifetime (statement, batch, query).
 *
 * Everything allocated from an arena is freed at once by sl_arena_reset()
 * or sl_arena_destroy(); there is no per-object free.  Not thread-safe: an
 * arena belongs to the thread that uses it.
 */
#ifndef SL_UTIL_ARENA_H
#define SL_UTIL_ARENA_H

#include <stddef.h>

typedef struct sl_arena_block sl_arena_block_t;

typedef struct sl_arena {
	sl_arena_block_t *head;  /* current block; older blocks chained behind */
	size_t block_size;       /* default size of a new block */
	size_t total;            /* bytes handed out since the last reset */
	sl_arena_block_t *spare; /* blocks of block_size kept by a reset */
	size_t spare_bytes;
} sl_arena_t;

/* Initializes an empty arena; block_size 0 picks a default (8 KiB). */
void sl_arena_init(sl_arena_t *a, size_t block_size);

/* Frees every block.  The arena may be used again after sl_arena_init(). */
void sl_arena_destroy(sl_arena_t *a);

/* Forgets every allocation but keeps the blocks of the default size for
 * reuse (up to SL_ARENA_KEEP bytes), so that an arena reset after every
 * batch does not go back to malloc (and the kernel) for each batch. */
void sl_arena_reset(sl_arena_t *a);

/* Returns n bytes aligned for any type; aborts on out-of-memory. */
void *sl_arena_alloc(sl_arena_t *a, size_t n);

/* As sl_arena_alloc(), zero-filled. */
void *sl_arena_calloc(sl_arena_t *a, size_t n);

/* Copies n bytes of s and a terminating NUL into the arena. */
char *sl_arena_strndup(sl_arena_t *a, const char *s, size_t n);

/* Copies the NUL-terminated string s into the arena (NULL gives NULL). */
char *sl_arena_strdup(sl_arena_t *a, const char *s);

#endif
