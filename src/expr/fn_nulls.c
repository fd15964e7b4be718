/*
 * fn_nulls.c: NULL-handling functions (ksqlDB's NULLS family).
 *
 * Stage: expr.  COALESCE IFNULL NULLIF.  All are called with NULL
 * arguments (SL_FV_NULL_CALL) and return one of their arguments as it is:
 * nothing is allocated.
 */
#include "expr/fn_util.h"
#include "expr/func.h"

#define NC SL_FV_NULL_CALL

static int
fn_coalesce(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	*out = sl_value_null();
	for (int i = 0; i < argc; i++) {
		if (!sl_value_is_null(&argv[i])) {
			*out = argv[i];
			break;
		}
	}
	return SL_OK;
}

static int
fn_ifnull(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = sl_value_is_null(&argv[0]) ? argv[1] : argv[0];
	return SL_OK;
}

/* NULLIF(a, b): NULL when a equals b (deep equality), else a. */
static int
fn_nullif(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	if (!sl_value_is_null(&argv[1]) && sl_value_equal(&argv[0], &argv[1]))
		*out = sl_value_null();
	else
		*out = argv[0];
	return SL_OK;
}

static const sl_func_def_t nulls_defs[] = {
	{ .name = "COALESCE",
	  .category = "NULLS",
	  .description = "Returns the first non-null parameter, or NULL when all are NULL.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("first T, others T...", "T", fn_coalesce, .flags = NC), { 0 } } },
	{ .name = "IFNULL",
	  .category = "NULLS",
	  .description = "Returns expression if it is not NULL, otherwise altValue.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("expression T, altValue T", "T",
							   fn_ifnull, .flags = NC),
						   { 0 } } },
	{ .name = "NULLIF",
	  .category = "NULLS",
	  .description = "Returns NULL if expr1 equals expr2, otherwise expr1.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("expr1 T, expr2 T", "T", fn_nullif, .flags = NC), { 0 } } },
	{ 0 }
};

void
sl_fn_nulls_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, nulls_defs);
}
