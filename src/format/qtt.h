/*
 * qtt.h: test data to payloads and back, for ksqlDB's test files.
 *
 * Stage: format (used by sluice-test).  ksqlDB's query-validation tests
 * give each record's key and value as a JSON value whose shape depends on
 * the topic's format: a JSON value as itself ({"A": 1}, 10, "x"), a
 * DELIMITED one as its text ("1,a"), a KAFKA one as the number or string
 * it holds (BYTES as base64), and a null as a Kafka null.  These functions
 * turn such a value into the payload the serde would read, and a payload
 * back into the value ksqlDB's test runner shows, for comparing outputs.
 *
 * Numbers come through cJSON as doubles: integers beyond 2^53 and decimals
 * with more than 17 digits lose precision both ways, consistently.
 */
#ifndef SL_FORMAT_QTT_H
#define SL_FORMAT_QTT_H

#include <stddef.h>

#include "format/serde.h"

struct cJSON;

/*
 * Appends to out the payload that the test value v stands for under s.
 * Returns SL_OK, SL_SERDE_NULL for a Kafka null (v NULL or JSON null), or
 * SL_EINVAL when v cannot be such a payload (an object for DELIMITED, a
 * string that is not base64 for KAFKA BYTES, ...).
 */
int sl_serde_payload_from_cjson(const sl_serde_t *s, const struct cJSON *v, sl_strbuf_t *out,
				sl_error_t *err);

/*
 * Builds in *out (the caller frees it with cJSON_Delete()) the test value
 * for payload bytes[0..len) under s: NULL bytes as null, JSON parsed,
 * DELIMITED as a string, KAFKA as a number or string (BYTES as base64).
 * Returns SL_OK, or SL_EINVAL when the payload does not fit the format.
 */
int sl_serde_payload_to_cjson(const sl_serde_t *s, const void *bytes, size_t len,
			      struct cJSON **out, sl_error_t *err);

#endif
