/*
 * stream.c: streamed responses: push and pull queries on /query and
 * /query-stream.
 *
 * Stage: http.  Takes a running transient query (sl_tquery_t) and hands
 * its rows on to the client in one of four framings (ksqlDB's /query
 * array, the delimited and JSON forms of /query-stream, and Server-Sent
 * Events), as a chunked response whose content reader takes the rows.
 *
 * No thread per connection: when the query has no rows waiting, the
 * content reader suspends the connection (MHD_suspend_connection, which
 * libmicrohttpd allows from a content reader) and returns 0; the query's
 * notify callback, called from whichever thread produced rows or ended the
 * query, resumes it.  A suspended socket is not polled by libmicrohttpd,
 * so while suspended it sits in the watcher's epoll set (EPOLLRDHUP): a
 * client that goes away is noticed at once, the connection resumed and
 * ended, and the query closed.  The watcher thread also sends the
 * text/event-stream heartbeats.  Ended queries are closed by a few reaper
 * threads: closing may join a query thread, which must hold up neither a
 * worker nor the watcher.
 *
 * Locking: h->streams_lock (the slot table) before a stream's mu.  The
 * registration in the epoll set lives strictly inside a suspension, while
 * the socket is guaranteed open: whoever resumes removes it first.
 *
 * Relies on the engine's contract that a query's notify callback is not
 * called once sl_tquery_close() has returned.
 */
#include "http/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define WAKE_ID UINT64_MAX
#define SLOT_BITS 24
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
#define BLOCK_SIZE (16 * 1024)
#define TAKE_BYTES (64 * 1024)

struct sl_http_stream {
	sl_http_t *h;
	struct MHD_Connection *conn;
	int fd;
	uint64_t id; /* slot | generation << SLOT_BITS */
	sl_tquery_t *t;
	sl_session_t *s;
	sl_http_fmt_t fmt;
	bool push;       /* a push query: counted as a subscriber */
	bool table_pull; /* a pull query on a table (no final message) */

	/* the content reader's own (one worker at a time) */
	sl_strbuf_t out;
	size_t sent;
	bool finished;
	atomic_llong last_write_ms;

	/* shared with the notify callback and the watcher, under mu */
	pthread_mutex_t mu;
	bool suspended;  /* suspended by us, not yet resumed */
	bool in_suspend; /* suspended, and the reader has not run since */
	bool notified;
	bool peer_closed;
	bool stopping;
	bool heartbeat_due;

	sl_http_stream_t *next_reap;
};

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------- framing */

static void
put_json(sl_strbuf_t *sb, const cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);
	if (text != NULL) {
		sl_strbuf_puts(sb, text);
		cJSON_free(text);
	}
}

/* {"queryId":..,"columnNames":[..],"columnTypes":[..]} */
static void
put_metadata(sl_strbuf_t *sb, sl_tquery_t *t)
{
	cJSON *j = cJSON_CreateObject();
	cJSON *names = cJSON_CreateArray(), *types = cJSON_CreateArray();

	cJSON_AddStringToObject(j, "queryId", sl_tquery_id(t));
	for (int i = 0; i < sl_tquery_ncols(t); i++) {
		cJSON_AddItemToArray(names, cJSON_CreateString(sl_tquery_col_name(t, i)));
		cJSON_AddItemToArray(types, cJSON_CreateString(sl_tquery_col_type(t, i)));
	}
	cJSON_AddItemToObject(j, "columnNames", names);
	cJSON_AddItemToObject(j, "columnTypes", types);
	put_json(sb, j);
	cJSON_Delete(j);
}

static void
put_header(sl_http_stream_t *st)
{
	sl_strbuf_t *sb = &st->out;

	switch (st->fmt) {
	case SL_FMT_QUERY: {
		cJSON *j = cJSON_CreateObject(), *hd = cJSON_CreateObject();
		cJSON_AddStringToObject(hd, "queryId", sl_tquery_id(st->t));
		cJSON_AddStringToObject(hd, "schema", sl_tquery_schema(st->t));
		cJSON_AddItemToObject(j, "header", hd);
		sl_strbuf_putc(sb, '[');
		put_json(sb, j);
		cJSON_Delete(j);
		/* ksqlDB ends each element with ",\n" while a query may go on;
		 * a table's pull answer puts the separator before rows instead,
		 * as it has no final message */
		if (!st->table_pull)
			sl_strbuf_puts(sb, ",\n");
		break;
	}
	case SL_FMT_DELIMITED:
		put_metadata(sb, st->t);
		sl_strbuf_putc(sb, '\n');
		break;
	case SL_FMT_JSON:
		sl_strbuf_putc(sb, '[');
		put_metadata(sb, st->t);
		break;
	case SL_FMT_SSE:
		sl_strbuf_puts(sb, "event: header\ndata: ");
		put_metadata(sb, st->t);
		sl_strbuf_puts(sb, "\n\n");
		break;
	}
}

static void
on_row(void *ctx, const char *json, size_t len, bool tombstone)
{
	sl_http_stream_t *st = ctx;
	sl_strbuf_t *sb = &st->out;

	switch (st->fmt) {
	case SL_FMT_QUERY:
		if (st->table_pull)
			sl_strbuf_puts(sb, ",\n");
		sl_strbuf_puts(sb, "{\"row\":{\"columns\":");
		sl_strbuf_append(sb, json, len);
		sl_strbuf_puts(sb, tombstone ? ",\"tombstone\":true}}" : "}}");
		if (!st->table_pull)
			sl_strbuf_puts(sb, ",\n");
		break;
	case SL_FMT_DELIMITED:
		/* as ksqlDB: /query-stream does not carry tombstones */
		if (!tombstone) {
			sl_strbuf_append(sb, json, len);
			sl_strbuf_putc(sb, '\n');
		}
		break;
	case SL_FMT_JSON:
		if (!tombstone) {
			sl_strbuf_putc(sb, ',');
			sl_strbuf_append(sb, json, len);
		}
		break;
	case SL_FMT_SSE:
		sl_strbuf_puts(sb, tombstone ? "event: tombstone\ndata: " : "data: ");
		sl_strbuf_append(sb, json, len);
		sl_strbuf_puts(sb, "\n\n");
		break;
	}
}

/* Ends the response: the final message, or the error, of state. */
static void
put_footer(sl_http_stream_t *st, sl_tq_state_t state)
{
	sl_strbuf_t *sb = &st->out;
	const char *final = NULL;
	cJSON *err = NULL;

	if (state == SL_TQ_FAILED) {
		const char *why = sl_tquery_error(st->t);
		err = sl_http_error_json(SL_HTTP_ERR_SERVER_ERROR,
					 why && why[0] ? why : "the query failed");
	} else if (state == SL_TQ_LIMIT) {
		final = "Limit Reached";
	} else if (state == SL_TQ_DONE) {
		final = "Query Completed";
	}
	switch (st->fmt) {
	case SL_FMT_QUERY:
		if (err != NULL) {
			cJSON *row = cJSON_CreateObject();
			cJSON_AddItemToObject(row, "errorMessage", err);
			err = NULL;
			if (st->table_pull)
				sl_strbuf_puts(sb, ",\n");
			put_json(sb, row);
			if (!st->table_pull)
				sl_strbuf_puts(sb, ",\n");
			cJSON_Delete(row);
		} else if (final != NULL && !st->table_pull) {
			sl_strbuf_printf(sb, "{\"finalMessage\":\"%s\"}", final);
		}
		sl_strbuf_putc(sb, ']');
		break;
	case SL_FMT_DELIMITED:
		if (err != NULL) {
			put_json(sb, err);
			sl_strbuf_putc(sb, '\n');
		}
		break;
	case SL_FMT_JSON:
		if (err != NULL) {
			sl_strbuf_putc(sb, ',');
			put_json(sb, err);
		}
		sl_strbuf_putc(sb, ']');
		break;
	case SL_FMT_SSE:
		if (err != NULL) {
			sl_strbuf_puts(sb, "event: error\ndata: ");
			put_json(sb, err);
			sl_strbuf_puts(sb, "\n\n");
		} else {
			sl_strbuf_printf(sb, "event: end\ndata: {\"finalMessage\":\"%s\"}\n\n",
					 final ? final : "Query Closed");
		}
		break;
	}
	cJSON_Delete(err);
	st->finished = true;
}

/* ------------------------------------------------------------- waking */

/* Resumes st's connection if we suspended it (st->mu held). */
static void
wake_locked(sl_http_stream_t *st)
{
	if (!st->suspended)
		return;
	epoll_ctl(st->h->epfd, EPOLL_CTL_DEL, st->fd, NULL);
	st->suspended = false;
	MHD_resume_connection(st->conn);
}

/* The query's notify callback: rows arrived or the query ended.  Any
 * thread. */
static void
on_notify(void *ctx)
{
	sl_http_stream_t *st = ctx;

	pthread_mutex_lock(&st->mu);
	st->notified = true;
	wake_locked(st);
	pthread_mutex_unlock(&st->mu);
}

/* The stream with id, read-locked; NULL when it has gone. */
static sl_http_stream_t *
find_locked(sl_http_t *h, uint64_t id)
{
	uint32_t slot = (uint32_t)(id & SLOT_MASK);

	if (slot >= h->nslots || h->slots[slot] == NULL ||
	    h->gens[slot] != (uint32_t)(id >> SLOT_BITS))
		return NULL;
	return h->slots[slot];
}

/* ------------------------------------------------------------- the reader */

static ssize_t
reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	sl_http_stream_t *st = cls;
	bool stopping, peer_closed, heartbeat;

	(void)pos;
	pthread_mutex_lock(&st->mu);
	st->in_suspend = false;
	stopping = st->stopping;
	peer_closed = st->peer_closed;
	pthread_mutex_unlock(&st->mu);
	if (peer_closed)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	for (;;) {
		if (st->sent < st->out.len) {
			size_t n = st->out.len - st->sent;
			if (n > max)
				n = max;
			memcpy(buf, st->out.data + st->sent, n);
			st->sent += n;
			if (st->sent == st->out.len) {
				sl_strbuf_reset(&st->out);
				st->sent = 0;
			}
			atomic_store(&st->last_write_ms, now_ms());
			return (ssize_t)n;
		}
		if (st->finished)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (stopping) {
			/* the server stops: end as a closed query does */
			put_footer(st, SL_TQ_CLOSED);
			continue;
		}
		pthread_mutex_lock(&st->mu);
		st->notified = false;
		heartbeat = st->heartbeat_due;
		st->heartbeat_due = false;
		pthread_mutex_unlock(&st->mu);

		sl_tq_state_t state = sl_tquery_take(st->t, on_row, st, TAKE_BYTES);
		if (state != SL_TQ_RUNNING) {
			put_footer(st, state);
			continue;
		}
		if (st->out.len > 0)
			continue;
		if (heartbeat && st->fmt == SL_FMT_SSE) {
			sl_strbuf_puts(&st->out, ":\n\n");
			continue;
		}
		pthread_mutex_lock(&st->mu);
		if (st->notified || st->stopping || st->peer_closed) {
			stopping = st->stopping;
			peer_closed = st->peer_closed;
			pthread_mutex_unlock(&st->mu);
			if (peer_closed)
				return MHD_CONTENT_READER_END_WITH_ERROR;
			continue;
		}
		struct epoll_event ev = { .events = EPOLLRDHUP, .data.u64 = st->id };
		if (epoll_ctl(st->h->epfd, EPOLL_CTL_ADD, st->fd, &ev) != 0 && errno != EEXIST) {
			/* cannot watch it: poll instead of hanging on a dead client */
			pthread_mutex_unlock(&st->mu);
			usleep(10 * 1000);
			continue;
		}
		st->suspended = true;
		st->in_suspend = true;
		MHD_suspend_connection(st->conn);
		pthread_mutex_unlock(&st->mu);
		return 0;
	}
}

/* ------------------------------------------------------------- lifecycle */

static void
stream_destroy(sl_http_stream_t *st)
{
	sl_tquery_close(st->t);
	if (st->s != NULL)
		sl_session_destroy(st->s);
	sl_strbuf_free(&st->out);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

/* The response is done with st (the connection ended, in whatever way):
 * forget it, and leave closing the query to the watcher. */
static void
stream_free(void *cls)
{
	sl_http_stream_t *st = cls;
	sl_http_t *h = st->h;
	uint32_t slot = (uint32_t)(st->id & SLOT_MASK);

	pthread_rwlock_wrlock(&h->streams_lock);
	h->slots[slot] = NULL;
	h->gens[slot]++;
	h->free_slots[h->nfree++] = slot;
	h->nstreams--;
	pthread_rwlock_unlock(&h->streams_lock);
	pthread_mutex_lock(&st->mu);
	if (st->suspended) /* not expected: a suspended connection is not freed */
		epoll_ctl(h->epfd, EPOLL_CTL_DEL, st->fd, NULL);
	st->suspended = false;
	pthread_mutex_unlock(&st->mu);
	if (st->push)
		atomic_fetch_sub(&h->push_subscribers, 1);
	/* a pull query has no thread to join: closing it here costs less
	 * than waking a reaper (a context switch per query) */
	if (!st->push) {
		stream_destroy(st);
		return;
	}

	pthread_mutex_lock(&h->reap_lock);
	if (h->nreapers > 0 && h->reapers != NULL && !h->reap_quit) {
		st->next_reap = h->reap;
		h->reap = st;
		pthread_cond_signal(&h->reap_cond);
		st = NULL;
	}
	pthread_mutex_unlock(&h->reap_lock);
	if (st != NULL)
		stream_destroy(st);
}

/* Adds st to the slot table; false when it is full. */
static bool
stream_register(sl_http_t *h, sl_http_stream_t *st)
{
	uint32_t slot;

	pthread_rwlock_wrlock(&h->streams_lock);
	if (h->nfree > 0) {
		slot = h->free_slots[--h->nfree];
	} else {
		if (h->nslots == h->cap) {
			uint32_t cap = h->cap ? h->cap * 2 : 256;
			if (cap > SLOT_MASK) {
				pthread_rwlock_unlock(&h->streams_lock);
				return false;
			}
			sl_http_stream_t **ns = realloc(h->slots, sizeof(*ns) * cap);
			uint32_t *ng = realloc(h->gens, sizeof(*ng) * cap);
			uint32_t *nf = realloc(h->free_slots, sizeof(*nf) * cap);
			if (ns == NULL || ng == NULL || nf == NULL)
				abort();
			h->slots = ns;
			h->gens = ng;
			h->free_slots = nf;
			h->cap = cap;
		}
		slot = h->nslots++;
		h->gens[slot] = 0;
	}
	h->slots[slot] = st;
	st->id = slot | ((uint64_t)h->gens[slot] << SLOT_BITS);
	st->stopping = atomic_load(&h->stopping);
	h->nstreams++;
	pthread_rwlock_unlock(&h->streams_lock);
	return true;
}

enum MHD_Result
sl_http_stream_start(sl_http_req_t *req, struct MHD_Connection *conn, sl_tquery_t *t,
		     sl_session_t *s, sl_http_fmt_t fmt, const char *ctype)
{
	sl_http_t *h = req->h;
	const union MHD_ConnectionInfo *ci;
	struct MHD_Response *r;
	sl_http_stream_t *st;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	st = calloc(1, sizeof(*st));
	if (st == NULL || ci == NULL) {
		free(st);
		sl_tquery_close(t);
		sl_session_destroy(s);
		return sl_http_reply_error(req, conn, 500, SL_HTTP_ERR_SERVER_ERROR,
					   "cannot start the response");
	}
	st->h = h;
	st->conn = conn;
	st->fd = ci->connect_fd;
	st->t = t;
	st->s = s;
	st->fmt = fmt;
	st->push = !sl_tquery_is_pull(t);
	st->table_pull = sl_tquery_is_pull(t) && !sl_tquery_is_stream_scan(t);
	sl_strbuf_init(&st->out);
	pthread_mutex_init(&st->mu, NULL);
	atomic_store(&st->last_write_ms, now_ms());
	if (!st->push) {
		/* a pull query's answer is complete when it starts: one buffer
		 * with its length, sent in one write, beats a chunked stream
		 * (four sends a query) */
		put_header(st);
		sl_tq_state_t state = sl_tquery_take(t, on_row, st, 0);
		if (state != SL_TQ_RUNNING) {
			put_footer(st, state);
			r = MHD_create_response_from_buffer(st->out.len, st->out.data,
							    MHD_RESPMEM_MUST_COPY);
			stream_destroy(st);
			if (r == NULL)
				return MHD_NO;
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
			return sl_http_queue(req, conn, 200, r);
		}
		/* not expected of the engine; stream the rest */
	}
	if (!stream_register(h, st)) {
		stream_destroy(st);
		return sl_http_reply_error(req, conn, 503, 50300, "too many open queries");
	}
	if (st->push)
		atomic_fetch_add(&h->push_subscribers, 1);
	if (st->push)
		put_header(st);
	sl_tquery_set_notify(t, on_notify, st);

	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, BLOCK_SIZE, reader, st,
					      stream_free);
	if (r == NULL) {
		stream_free(st);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (fmt == SL_FMT_SSE) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
		MHD_add_response_header(r, "X-Accel-Buffering", "no");
	}
	/* a failed queue destroys the response, and with it st */
	return sl_http_queue(req, conn, 200, r);
}

/* ------------------------------------------------------------- the watcher */

/* The client of stream id hung up: end its response. */
static void
on_hangup(sl_http_t *h, uint64_t id)
{
	sl_http_stream_t *st;

	pthread_rwlock_rdlock(&h->streams_lock);
	st = find_locked(h, id);
	if (st != NULL) {
		pthread_mutex_lock(&st->mu);
		st->peer_closed = true;
		wake_locked(st);
		pthread_mutex_unlock(&st->mu);
	}
	pthread_rwlock_unlock(&h->streams_lock);
}

/* Wakes the idle text/event-stream responses for a heartbeat. */
static void
heartbeats(sl_http_t *h)
{
	int64_t now = now_ms();

	pthread_rwlock_rdlock(&h->streams_lock);
	for (uint32_t i = 0; i < h->nslots; i++) {
		sl_http_stream_t *st = h->slots[i];
		if (st == NULL || st->fmt != SL_FMT_SSE ||
		    now - atomic_load(&st->last_write_ms) < h->heartbeat_ms)
			continue;
		pthread_mutex_lock(&st->mu);
		if (st->suspended) {
			st->heartbeat_due = true;
			wake_locked(st);
		}
		pthread_mutex_unlock(&st->mu);
	}
	pthread_rwlock_unlock(&h->streams_lock);
}

/* A reaper thread: closes the queries of ended streams, until told to
 * quit and nothing is left. */
static void *
reaper(void *arg)
{
	sl_http_t *h = arg;

	pthread_mutex_lock(&h->reap_lock);
	for (;;) {
		sl_http_stream_t *st = h->reap;
		if (st == NULL) {
			if (h->reap_quit)
				break;
			pthread_cond_wait(&h->reap_cond, &h->reap_lock);
			continue;
		}
		h->reap = st->next_reap;
		pthread_mutex_unlock(&h->reap_lock);
		stream_destroy(st);
		pthread_mutex_lock(&h->reap_lock);
	}
	pthread_mutex_unlock(&h->reap_lock);
	return NULL;
}

static void *
watcher(void *arg)
{
	sl_http_t *h = arg;
	struct epoll_event evs[64];
	int tick = h->heartbeat_ms / 2 < 1000 ? h->heartbeat_ms / 2 : 1000;
	int64_t next_tick = now_ms() + tick;

	if (tick < 20)
		tick = 20;
	for (;;) {
		int64_t wait = next_tick - now_ms();
		int n = epoll_wait(h->epfd, evs, 64, wait > 0 ? (int)wait : 0);
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u64 == WAKE_ID) {
				uint64_t v;
				if (read(h->wakefd, &v, sizeof(v)) < 0) {
					/* EAGAIN: already drained */
				}
			} else {
				on_hangup(h, evs[i].data.u64);
			}
		}
		if (now_ms() >= next_tick) {
			heartbeats(h);
			next_tick = now_ms() + tick;
		}
		if (atomic_load(&h->watcher_quit))
			return NULL;
	}
}

int
sl_http_streams_init(sl_http_t *h, sl_error_t *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = WAKE_ID };

	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	h->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (h->epfd < 0 || h->wakefd < 0 || epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->wakefd, &ev) != 0)
		return sl_error_set(err, SL_EIO, "cannot create the HTTP watcher: %s",
				    strerror(errno));
	if (pthread_create(&h->watcher, NULL, watcher, h) != 0)
		return sl_error_set(err, SL_ERR, "cannot start the HTTP watcher thread");
	h->has_watcher = true;
	h->reapers = calloc((size_t)h->nreapers, sizeof(*h->reapers));
	if (h->reapers == NULL)
		abort();
	for (int i = 0; i < h->nreapers; i++) {
		if (pthread_create(&h->reapers[i], NULL, reaper, h) != 0) {
			h->nreapers = i;
			return sl_error_set(err, SL_ERR, "cannot start the HTTP reaper threads");
		}
	}
	return SL_OK;
}

void
sl_http_streams_stop(sl_http_t *h, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	pthread_rwlock_rdlock(&h->streams_lock);
	for (uint32_t i = 0; i < h->nslots; i++) {
		sl_http_stream_t *st = h->slots[i];
		if (st == NULL)
			continue;
		pthread_mutex_lock(&st->mu);
		st->stopping = true;
		wake_locked(st);
		pthread_mutex_unlock(&st->mu);
	}
	pthread_rwlock_unlock(&h->streams_lock);
	/* libmicrohttpd must not stop while a connection is suspended: wait
	 * until every woken one has run its reader (or ended) */
	for (;;) {
		int waiting = 0;
		pthread_rwlock_rdlock(&h->streams_lock);
		for (uint32_t i = 0; i < h->nslots; i++) {
			sl_http_stream_t *st = h->slots[i];
			if (st == NULL)
				continue;
			pthread_mutex_lock(&st->mu);
			waiting += st->in_suspend;
			pthread_mutex_unlock(&st->mu);
		}
		pthread_rwlock_unlock(&h->streams_lock);
		if (waiting == 0 || now_ms() >= deadline)
			break;
		usleep(5 * 1000);
	}
}

void
sl_http_streams_free(sl_http_t *h)
{
	if (h->has_watcher) {
		uint64_t one = 1;
		atomic_store(&h->watcher_quit, true);
		if (write(h->wakefd, &one, sizeof(one)) < 0) {
			/* it notices within a tick */
		}
		pthread_join(h->watcher, NULL);
		h->has_watcher = false;
	}
	if (h->reapers != NULL) {
		pthread_mutex_lock(&h->reap_lock);
		h->reap_quit = true;
		pthread_cond_broadcast(&h->reap_cond);
		pthread_mutex_unlock(&h->reap_lock);
		for (int i = 0; i < h->nreapers; i++)
			pthread_join(h->reapers[i], NULL);
		free(h->reapers);
		h->reapers = NULL;
	}
	if (h->epfd >= 0)
		close(h->epfd);
	if (h->wakefd >= 0)
		close(h->wakefd);
	h->epfd = h->wakefd = -1;
	free(h->slots);
	free(h->gens);
	free(h->free_slots);
	h->slots = NULL;
	h->gens = NULL;
	h->free_slots = NULL;
}
