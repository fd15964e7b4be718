/*
 * fn_count_distinct.c: COUNT_DISTINCT, ksqlDB's approximate distinct count.
 *
 * Stage: expr.  The variant hooks (sl_fn_agg_count_distinct_resolve and
 * sl_fn_agg_count_distinct_ops, declared in fn_aggregate_int.h) are bound
 * through fn_aggregate.c's definition table; the executor drives them over
 * an ARRAY<INT> accumulator, stored as JSON between records.  The
 * estimates are those of ksqlDB's stream-lib HyperLogLog; the registers
 * are kept sparse (index << 5 | rank, sorted) while few are set, rather
 * than always as ksqlDB's 2,731 packed words.
 *
 * Memory: accumulators received are read-only; a changed register set is
 * a new ARRAY in call->arena, and values without a direct hash are
 * rendered there as text.  All operations run on the query's thread.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "expr/fn_aggregate_int.h"
#include "expr/fn_util.h"
#include "expr/func.h"
#include "expr/value.h"
#include "util/strbuf.h"

/*
 * ksqlDB counts with stream-lib's HyperLogLog (log2m 14) over stream-lib's
 * MurmurHash of the Java value: Integer, Long and Double through hashLong,
 * String through its UTF-8 bytes, anything else through toString().  Its
 * state is RegisterSet's 2,731 ints, six 5-bit registers to an int; that
 * layout is kept here once many registers are set, while small groups use
 * a sparse list: fewer than 2,731 items j << 5 | rank, sorted by register
 * j, one per non-zero register.  The length tells the two apart.
 */
#define HLL_LOG2M 14
#define HLL_M (1 << HLL_LOG2M)
#define HLL_WORDS (HLL_M / 6 + 1)
#define HLL_SPARSE_MAX (HLL_WORDS - 1)

static uint32_t
murmur_bytes(const char *data, int32_t len, int32_t seed)
{
	const uint32_t m = 0x5bd1e995;
	uint32_t h = (uint32_t)seed ^ (uint32_t)len;
	int32_t n4 = len >> 2, left;

	for (int32_t i = 0; i < n4; i++) {
		const unsigned char *p = (const unsigned char *)data + 4 * i;
		uint32_t k =
			p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		k *= m;
		k ^= k >> 24;
		k *= m;
		h *= m;
		h ^= k;
	}
	/* the tail bytes are sign-extended, as Java's byte is */
	left = len - 4 * n4;
	if (left != 0) {
		if (left >= 3)
			h ^= (uint32_t)(int32_t)(int8_t)data[len - 3] << 16;
		if (left >= 2)
			h ^= (uint32_t)(int32_t)(int8_t)data[len - 2] << 8;
		h ^= (uint32_t)(int32_t)(int8_t)data[len - 1];
		h *= m;
	}
	h ^= h >> 13;
	h *= m;
	h ^= h >> 15;
	return h;
}

static uint32_t
murmur_long(int64_t data)
{
	const uint32_t m = 0x5bd1e995;
	uint32_t h = 0, k;

	k = (uint32_t)(uint64_t)data * m;
	k ^= k >> 24;
	h ^= k * m;
	k = (uint32_t)((uint64_t)data >> 32) * m;
	k ^= k >> 24;
	h *= m;
	h ^= k * m;
	h ^= h >> 13;
	h *= m;
	h ^= h >> 15;
	return h;
}

/* Appends Java's toString() of a non-NULL value of type t. */
static void
java_text(sl_fn_buf_t *b, const sl_value_t *v, const sl_type_t *t)
{
	int64_t y;
	unsigned mo, d;

	switch (v->kind) {
	case SL_T_BOOLEAN:
		sl_fn_buf_puts(b, v->u.b ? "true" : "false");
		return;
	case SL_T_DECIMAL:
		sl_fn_dec_append_java(b, v->u.dec, v->scale);
		return;
	case SL_T_DATE:
		sl_civil_from_days(v->u.i, &y, &mo, &d);
		sl_fn_buf_printf(b, "%04lld-%02u-%02u", (long long)y, mo, d);
		return;
	case SL_T_TIME: {
		/* java.sql.Time: hh:mm:ss */
		int64_t s = v->u.l / 1000;
		sl_fn_buf_printf(b, "%02lld:%02lld:%02lld", (long long)(s / 3600),
				 (long long)(s / 60 % 60), (long long)(s % 60));
		return;
	}
	case SL_T_TIMESTAMP: {
		/* java.sql.Timestamp (UTC): yyyy-mm-dd hh:mm:ss.f, the
		 * fraction without trailing zeros */
		int64_t ms = v->u.l, days = ms / 86400000, rem = ms % 86400000;
		if (rem < 0) {
			rem += 86400000;
			days--;
		}
		sl_civil_from_days(days, &y, &mo, &d);
		sl_fn_buf_printf(b, "%04lld-%02u-%02u %02lld:%02lld:%02lld.", (long long)y, mo, d,
				 (long long)(rem / 3600000), (long long)(rem / 60000 % 60),
				 (long long)(rem / 1000 % 60));
		rem %= 1000;
		if (rem == 0)
			sl_fn_buf_putc(b, '0');
		else if (rem % 100 == 0)
			sl_fn_buf_printf(b, "%lld", (long long)(rem / 100));
		else if (rem % 10 == 0)
			sl_fn_buf_printf(b, "%02lld", (long long)(rem / 10));
		else
			sl_fn_buf_printf(b, "%03lld", (long long)rem);
		return;
	}
	default: {
		/* ARRAY, MAP, STRUCT: List/Map/Struct.toString(), near enough */
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		sl_value_format_text(&sb, v, t);
		sl_fn_buf_add(b, sb.data, sb.len);
		sl_strbuf_free(&sb);
		return;
	}
	}
}

static uint32_t
java_hash(sl_fcall_t *call, const sl_value_t *v)
{
	sl_fn_buf_t b;
	int64_t bits;

	switch (v->kind) {
	case SL_T_INT:
		return murmur_long(v->u.i);
	case SL_T_BIGINT:
		return murmur_long(v->u.l);
	case SL_T_DOUBLE:
		memcpy(&bits, &v->u.d, sizeof(bits));
		return murmur_long(bits);
	case SL_T_STRING:
	case SL_T_BYTES:
		/* BYTES: the content (ksqlDB hashes ByteBuffer.toString(),
		 * which only shows the length) */
		return murmur_bytes(v->u.s.ptr, v->u.s.len, -1);
	default:
		sl_fn_buf_init(&b, call->arena, 32);
		java_text(&b, v, call->argt[0]);
		return murmur_bytes(b.p, (int32_t)b.len, -1);
	}
}

int
sl_fn_agg_count_distinct_resolve(sl_fresolve_t *r)
{
	r->state_type = sl_type_array(r->arena, sl_type_int());
	return SL_OK;
}

static int
cd_init(sl_fcall_t *call, sl_value_t *acc)
{
	*acc = sl_fn_array(call->arena, 0);
	return SL_OK;
}

static bool
hll_dense(const sl_value_t *regs)
{
	return sl_fn_agg_len(regs) == HLL_WORDS;
}

/* The rank in register j; for a sparse list, *pos is where j is or would
 * go. */
static int
hll_get(const sl_value_t *regs, int32_t j, int32_t *pos)
{
	int32_t lo = 0, hi = sl_fn_agg_len(regs);

	if (hll_dense(regs))
		return (int)((uint32_t)sl_fn_agg_items(regs)[j / 6].u.i >> (5 * (j % 6)) & 31);
	while (lo < hi) {
		int32_t mid = (lo + hi) / 2, at = sl_fn_agg_items(regs)[mid].u.i >> 5;
		if (at == j) {
			*pos = mid;
			return sl_fn_agg_items(regs)[mid].u.i & 31;
		}
		if (at < j)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return 0;
}

/* Every register of the state into r[0..HLL_M). */
static void
hll_expand(const sl_value_t *regs, uint8_t *r)
{
	memset(r, 0, HLL_M);
	if (hll_dense(regs)) {
		for (int32_t j = 0; j < HLL_M; j++)
			r[j] = (uint8_t)((uint32_t)sl_fn_agg_items(regs)[j / 6].u.i >>
						 (5 * (j % 6)) &
					 31);
		return;
	}
	for (int32_t i = 0; i < sl_fn_agg_len(regs); i++)
		if (sl_fn_agg_items(regs)[i].kind == SL_T_INT)
			r[(sl_fn_agg_items(regs)[i].u.i >> 5) & (HLL_M - 1)] =
				sl_fn_agg_items(regs)[i].u.i & 31;
}

/* The state holding registers r[0..HLL_M): sparse while it can be. */
static sl_value_t
hll_encode(sl_arena_t *a, const uint8_t *r)
{
	int32_t n = 0;
	sl_value_t out;

	for (int32_t j = 0; j < HLL_M; j++)
		n += r[j] != 0;
	if (n <= HLL_SPARSE_MAX) {
		out = sl_fn_array(a, n);
		n = 0;
		for (int32_t j = 0; j < HLL_M; j++)
			if (r[j] != 0)
				sl_fn_agg_items(&out)[n++] = sl_value_int(j << 5 | r[j]);
		return out;
	}
	out = sl_fn_array(a, HLL_WORDS);
	for (int32_t w = 0; w < HLL_WORDS; w++) {
		uint32_t word = 0;
		for (int32_t j = 6 * w; j < 6 * w + 6 && j < HLL_M; j++)
			word |= (uint32_t)r[j] << (5 * (j % 6));
		sl_fn_agg_items(&out)[w] = sl_value_int((int32_t)word);
	}
	return out;
}

/* RegisterSet.updateIfGreater(j, rank), on a copy when it changes. */
static void
hll_update(sl_arena_t *a, sl_value_t *regs, int32_t j, int rank)
{
	int32_t pos = 0, n = sl_fn_agg_len(regs);
	int cur = hll_get(regs, j, &pos);
	sl_value_t reg;

	if (cur >= rank)
		return;
	if (hll_dense(regs)) {
		uint32_t word = (uint32_t)sl_fn_agg_items(regs)[j / 6].u.i;
		int shift = 5 * (j % 6);
		word = (word & ~(31u << shift)) | (uint32_t)rank << shift;
		*regs = sl_fn_agg_array_plus(a, sl_fn_agg_items(regs), n, NULL);
		sl_fn_agg_items(regs)[j / 6] = sl_value_int((int32_t)word);
		return;
	}
	reg = sl_value_int(j << 5 | rank);
	if (cur > 0) {
		*regs = sl_fn_agg_array_plus(a, sl_fn_agg_items(regs), n, NULL);
		sl_fn_agg_items(regs)[pos] = reg;
	} else if (n < HLL_SPARSE_MAX) {
		*regs = sl_fn_agg_array_insert(a, regs, pos, &reg, INT32_MAX);
	} else {
		uint8_t r[HLL_M];
		hll_expand(regs, r);
		r[j] = (uint8_t)rank;
		*regs = hll_encode(a, r);
	}
}

static int
cd_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	uint32_t x, w;

	(void)argc;
	if (sl_value_is_null(&argv[0]))
		return SL_OK;
	if (sl_value_is_null(acc))
		cd_init(call, acc);
	/* HyperLogLog.offerHashed() */
	x = java_hash(call, &argv[0]);
	w = x << HLL_LOG2M | ((1u << (HLL_LOG2M - 1)) + 1);
	hll_update(call->arena, acc, (int32_t)(x >> (32 - HLL_LOG2M)), __builtin_clz(w) + 1);
	return SL_OK;
}

/* RegisterSet.merge(): the larger of each pair of registers. */
static int
cd_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	uint8_t r[HLL_M], o[HLL_M];

	if (sl_fn_agg_len(other) == 0)
		return SL_OK;
	hll_expand(acc, r);
	hll_expand(other, o);
	for (int32_t j = 0; j < HLL_M; j++)
		if (o[j] > r[j])
			r[j] = o[j];
	*acc = hll_encode(call->arena, r);
	return SL_OK;
}

/* HyperLogLog.cardinality(), summing the registers in their order. */
static int
cd_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	const double m = HLL_M;
	double sum = 0, zeros = 0, alpha_mm, estimate, card;
	uint8_t r[HLL_M];

	(void)call;
	hll_expand(acc, r);
	for (int32_t j = 0; j < HLL_M; j++) {
		sum += 1.0 / (double)(1 << r[j]);
		if (r[j] == 0)
			zeros++;
	}
	alpha_mm = (0.7213 / (1 + 1.079 / m)) * m * m;
	estimate = alpha_mm * (1 / sum);
	card = estimate <= (5.0 / 2.0) * m ? m * log(m / zeros) : estimate;
	*out = sl_value_bigint((int64_t)floor(card + 0.5));
	return SL_OK;
}

const sl_agg_ops_t sl_fn_agg_count_distinct_ops = { cd_init, cd_add, NULL, cd_merge, cd_result };
