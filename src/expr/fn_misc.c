/*
 * fn_misc.c: functions of no other family.
 *
 * Stage: expr.  AS_VALUE: copies a key column into the value.  For the
 * expression it is the identity; the analyzer recognizes the call when it
 * decides which columns go to the key and which to the value.
 */
#include "expr/fn_util.h"
#include "expr/func.h"

static int
fn_as_value(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = argv[0];
	return SL_OK;
}

static const sl_func_def_t misc_defs[] = {
	{ .name = "AS_VALUE",
	  .category = "OTHER",
	  .description = "Copies a row's key column into the row's value.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("keyColumn T", "T", fn_as_value,
							   .flags = SL_FV_NULL_CALL),
						   { 0 } } },
	{ 0 }
};

void
sl_fn_misc_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, misc_defs);
}
