/*
 * arena.c: region allocator (see arena.h).
 *
 * Blocks are malloc'd and chained; a request larger than the block size
 * gets a block of its own, so there is no upper bound on one allocation.
 */
#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sl_arena_block {
	sl_arena_block_t *next;
	size_t size;  /* usable bytes in data[] */
	size_t used;
	max_align_t data[];
};

#define SL_ARENA_DEFAULT_BLOCK 8192
#define SL_ARENA_KEEP (8u << 20)
#define SL_ARENA_ALIGN (sizeof(max_align_t))

static sl_arena_block_t *
block_new(size_t size)
{
	sl_arena_block_t *b = malloc(sizeof(*b) + size);
	if (b == NULL) {
		fprintf(stderr, "sluice: out of memory allocating %zu bytes\n", size);
		abort();
	}
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void
sl_arena_init(sl_arena_t *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : SL_ARENA_DEFAULT_BLOCK;
	a->total = 0;
	a->spare = NULL;
	a->spare_bytes = 0;
}

void
sl_arena_destroy(sl_arena_t *a)
{
	sl_arena_block_t *b = a->head;
	while (b != NULL) {
		sl_arena_block_t *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
	for (b = a->spare; b != NULL;) {
		sl_arena_block_t *next = b->next;
		free(b);
		b = next;
	}
	a->spare = NULL;
	a->spare_bytes = 0;
}

void
sl_arena_reset(sl_arena_t *a)
{
	sl_arena_block_t *b = a->head;
	if (b == NULL)
		return;
	/* keep the oldest block (the one of default size) as the head, and
	 * other blocks of that size as spares; free the oversized ones */
	while (b->next != NULL) {
		sl_arena_block_t *next = b->next;
		if (b->size == a->block_size && a->spare_bytes + b->size <= SL_ARENA_KEEP) {
			b->next = a->spare;
			a->spare = b;
			a->spare_bytes += b->size;
		} else {
			free(b);
		}
		b = next;
	}
	b->used = 0;
	a->head = b;
	a->total = 0;
}

void *
sl_arena_alloc(sl_arena_t *a, size_t n)
{
	sl_arena_block_t *b = a->head;
	size_t need = (n + SL_ARENA_ALIGN - 1) & ~(SL_ARENA_ALIGN - 1);

	if (need == 0)
		need = SL_ARENA_ALIGN;
	if (b == NULL || b->size - b->used < need) {
		size_t size = need > a->block_size ? need : a->block_size;
		sl_arena_block_t *nb;
		if (size == a->block_size && a->spare != NULL) {
			nb = a->spare;
			a->spare = nb->next;
			a->spare_bytes -= nb->size;
			nb->next = NULL;
			nb->used = 0;
		} else {
			nb = block_new(size);
		}
		if (b != NULL && need > a->block_size) {
			/* an oversized block goes behind the current one so the
			 * current block's free space is not wasted */
			nb->next = b->next;
			b->next = nb;
			nb->used = need;
			a->total += need;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *
sl_arena_calloc(sl_arena_t *a, size_t n)
{
	void *p = sl_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *
sl_arena_strndup(sl_arena_t *a, const char *s, size_t n)
{
	char *p = sl_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sl_arena_strdup(sl_arena_t *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return sl_arena_strndup(a, s, strlen(s));
}
