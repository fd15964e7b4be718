/*
 * fn_table.c: table functions (ksqlDB's TABLE family).
 *
 * Stage: expr.  EXPLODE CUBE_EXPLODE.  A table function returns, through
 * its *out, an ARRAY holding the values of its output rows (func.h); NULL
 * or an empty array gives no rows.  The analyzer plans the calls.
 */
#include <string.h>

#include "expr/fn_util.h"
#include "expr/func.h"

/* EXPLODE(array): one row per element. */
static int
fn_explode(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = argv[0];
	return SL_OK;
}

#define MAX_CUBE_COLUMNS 20

/* CUBE_EXPLODE(array): every combination of the elements and NULLs
 * (2^n rows), skipping those that repeat because an element is NULL. */
static int
fn_cube_explode(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *cols = &argv[0];
	int32_t n = cols->u.list->n;
	if (n > MAX_CUBE_COLUMNS)
		return sl_fcall_error(
			call, "CUBE_EXPLODE of %d columns would produce too many rows", (int)n);
	uint32_t non_null = 0;
	for (int32_t i = 0; i < n; i++)
		if (!sl_value_is_null(&cols->u.list->items[i]))
			non_null |= 1u << (n - 1 - i);
	uint32_t combos = 1u << n;
	int32_t rows = 0;
	for (uint32_t m = 0; m < combos; m++)
		if ((m & non_null) == m)
			rows++;
	sl_value_t res = sl_fn_array(call->arena, rows);
	int32_t r = 0;
	for (uint32_t m = 0; m < combos; m++) {
		if ((m & non_null) != m)
			continue;
		sl_value_t row = sl_fn_array(call->arena, n);
		for (int32_t i = 0; i < n; i++)
			if (m & (1u << (n - 1 - i)))
				row.u.list->items[i] = cols->u.list->items[i];
		res.u.list->items[r++] = row;
	}
	*out = res;
	return SL_OK;
}

static const sl_func_def_t table_defs[] = {
	{ .name = "EXPLODE",
	  .category = "TABLE",
	  .kind = SL_FUNC_TABLE,
	  .description = "Explodes an array: one output row for each element of the input array.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>", "T", fn_explode),
						   { 0 } } },
	{ .name = "CUBE_EXPLODE",
	  .category = "TABLE",
	  .kind = SL_FUNC_TABLE,
	  .description = "Takes an array of columns and outputs all possible combinations of them "
			 "(2^d rows for d columns); combinations repeated because of NULL columns "
			 "are skipped.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("columns ARRAY<T>", "ARRAY<T>", fn_cube_explode), { 0 } } },
	{ 0 }
};

void
sl_fn_table_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, table_defs);
}
