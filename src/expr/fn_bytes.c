/*
 * fn_bytes.c: conversions between BYTES and other types.
 *
 * Stage: expr.  TO_BYTES FROM_BYTES (string <-> bytes in the hex, utf8,
 * ascii and base64 encodings; the codecs live in fn_string.c with ENCODE)
 * and INT_FROM_BYTES BIGINT_FROM_BYTES DOUBLE_FROM_BYTES (fixed-size
 * big- or little-endian decoding).  A wrong size or unknown encoding is a
 * runtime error (the value becomes NULL).
 */
#include <string.h>

#include "expr/fn_util.h"
#include "expr/func.h"

/* fn_string.c */
int sl_fn_bytes_to_string(sl_fcall_t *call, const sl_value_t *bytes, const sl_value_t *enc,
			  sl_value_t *out);
int sl_fn_string_to_bytes(sl_fcall_t *call, const sl_value_t *str, const sl_value_t *enc,
			  sl_value_t *out);

static int
fn_to_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return sl_fn_string_to_bytes(call, &argv[0], &argv[1], out);
}

static int
fn_from_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return sl_fn_bytes_to_string(call, &argv[0], &argv[1], out);
}

/* Reads n bytes of argv[0] as an unsigned integer in the byte order named
 * by argv[1] (BIG_ENDIAN when absent). */
static int
read_uint(sl_fcall_t *call, int argc, const sl_value_t *argv, int n, uint64_t *out)
{
	const sl_value_t *v = &argv[0];
	bool little = false;
	if (argc > 1) {
		if (sl_fn_str_ieq(&argv[1], "LITTLE_ENDIAN"))
			little = true;
		else if (!sl_fn_str_ieq(&argv[1], "BIG_ENDIAN"))
			return sl_fcall_error(call,
					      "byte order must be BIG_ENDIAN or LITTLE_ENDIAN");
	}
	if (v->u.s.len != n)
		return sl_fcall_error(call, "number of bytes must be equal to %d, but found %d", n,
				      (int)v->u.s.len);
	const unsigned char *p = (const unsigned char *)v->u.s.ptr;
	uint64_t r = 0;
	for (int i = 0; i < n; i++)
		r = (r << 8) | p[little ? n - 1 - i : i];
	*out = r;
	return SL_OK;
}

static int
fn_int_from_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	uint64_t u;
	int rc = read_uint(call, argc, argv, 4, &u);
	if (rc != SL_OK)
		return rc;
	*out = sl_value_int((int32_t)(uint32_t)u);
	return SL_OK;
}

static int
fn_bigint_from_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	uint64_t u;
	int rc = read_uint(call, argc, argv, 8, &u);
	if (rc != SL_OK)
		return rc;
	*out = sl_value_bigint((int64_t)u);
	return SL_OK;
}

static int
fn_double_from_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	uint64_t u;
	int rc = read_uint(call, argc, argv, 8, &u);
	if (rc != SL_OK)
		return rc;
	double d;
	memcpy(&d, &u, sizeof(d));
	*out = sl_value_double(d);
	return SL_OK;
}

static const sl_func_def_t bytes_defs[] = {
	{ .name = "TO_BYTES",
	  .category = "STRING",
	  .description = "Converts a STRING value in the specified encoding to BYTES. The accepted "
			 "encoders are 'hex', 'utf8', 'ascii' and 'base64'.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("str VARCHAR, encoding VARCHAR", "BYTES", fn_to_bytes), { 0 } } },
	{ .name = "FROM_BYTES",
	  .category = "STRING",
	  .description = "Converts a BYTES value to STRING in the specified encoding. The accepted "
			 "encoders are 'hex', 'utf8', 'ascii' and 'base64'.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("bytes BYTES, encoding VARCHAR",
							   "VARCHAR", fn_from_bytes),
						   { 0 } } },
	{ .name = "INT_FROM_BYTES",
	  .category = "CONVERSIONS",
	  .description = "Converts a BYTES value to an INT value according to the specified byte "
			 "order ('BIG_ENDIAN', the default, or 'LITTLE_ENDIAN'). BYTES must be 4 "
			 "bytes long.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("value BYTES", "INT", fn_int_from_bytes),
						   SL_FN_V("value BYTES, byteOrder VARCHAR", "INT",
							   fn_int_from_bytes),
						   { 0 } } },
	{ .name = "BIGINT_FROM_BYTES",
	  .category = "CONVERSIONS",
	  .description = "Converts a BYTES value to a BIGINT value according to the specified byte "
			 "order ('BIG_ENDIAN', the default, or 'LITTLE_ENDIAN'). BYTES must be 8 "
			 "bytes long.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("value BYTES", "BIGINT", fn_bigint_from_bytes),
			  SL_FN_V("value BYTES, byteOrder VARCHAR", "BIGINT", fn_bigint_from_bytes),
			  { 0 } } },
	{ .name = "DOUBLE_FROM_BYTES",
	  .category = "CONVERSIONS",
	  .description = "Converts a BYTES value to a DOUBLE value according to the specified byte "
			 "order ('BIG_ENDIAN', the default, or 'LITTLE_ENDIAN'). BYTES must be 8 "
			 "bytes long.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("value BYTES", "DOUBLE", fn_double_from_bytes),
			  SL_FN_V("value BYTES, byteOrder VARCHAR", "DOUBLE", fn_double_from_bytes),
			  { 0 } } },
	{ 0 }
};

void
sl_fn_bytes_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, bytes_defs);
}
