/*
 * internal.h: what the files of src/http share (not for other stages).
 *
 * server.c   the daemon (libmicrohttpd), routing, request bodies, limits,
 *            authentication, the request counters
 * endpoint.c the endpoints: request JSON in, engine call, JSON reply out
 * stream.c   streamed responses (push and pull queries): suspended
 *            connections woken by the query, the disconnect watcher
 * reply.c    ksqlDB's error bodies and the plain (non-streamed) replies
 * auth.c     the password file and HTTP basic authentication
 *
 * Threads: libmicrohttpd's worker pool runs the access handler, the
 * content readers and the completion callbacks (one connection is only
 * ever on one worker at a time); query threads call the notify callback
 * (stream.c) from anywhere; one watcher thread (stream.c) looks after
 * suspended connections; reaper threads (stream.c) close ended queries.
 */
#ifndef SL_HTTP_INTERNAL_H
#define SL_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "util/strbuf.h"

/* Endpoints, for routing and the request counters. */
typedef enum sl_http_ep {
	SL_EP_KSQL = 0,
	SL_EP_QUERY,
	SL_EP_QUERY_STREAM,
	SL_EP_CLOSE_QUERY,
	SL_EP_INSERTS_STREAM,
	SL_EP_INFO,
	SL_EP_HEALTHCHECK,
	SL_EP_STATUS,
	SL_EP_METRICS,
	SL_EP_OTHER, /* unknown paths, refused requests */
	SL_EP_COUNT
} sl_http_ep_t;

/* ksqlDB's error codes (Errors.java): HTTP status x 100 + n. */
enum {
	SL_HTTP_ERR_BAD_REQUEST = 40000,
	SL_HTTP_ERR_BAD_STATEMENT = 40001,
	SL_HTTP_ERR_QUERY_ENDPOINT = 40002,
	SL_HTTP_ERR_UNAUTHORIZED = 40100,
	SL_HTTP_ERR_NOT_FOUND = 40400,
	SL_HTTP_ERR_SERVER_ERROR = 50000,
	SL_HTTP_ERR_SHUTTING_DOWN = 50303,
};

/* Response formats of the query endpoints. */
typedef enum sl_http_fmt {
	SL_FMT_QUERY,     /* /query: [{"header":..},{"row":..},..,{"finalMessage":..}] */
	SL_FMT_DELIMITED, /* application/vnd.ksqlapi.delimited.v1: metadata line, row lines */
	SL_FMT_JSON,      /* application/json on /query-stream: [metadata,row,..] */
	SL_FMT_SSE,       /* text/event-stream (beyond ksqlDB) */
} sl_http_fmt_t;

typedef struct sl_http_user {
	char *name;
	char *password;
} sl_http_user_t;

typedef struct sl_http_auth {
	sl_http_user_t *users;
	int n;
} sl_http_auth_t;

typedef struct sl_http_stream sl_http_stream_t;

struct sl_http {
	sl_engine_t *eng;
	struct MHD_Daemon *daemon;
	int listen_fd;
	int port;
	char *host; /* as it was given, for messages */
	bool tls;
	char *tls_cert_pem; /* kept for the daemon's lifetime */
	char *tls_key_pem;
	sl_http_auth_t auth; /* n == 0: authentication off */
	size_t max_body;
	int heartbeat_ms;
	int threads;
	int max_connections;
	atomic_bool stopping;

	/* Open streamed responses, by slot; a slot's generation tells a
	 * stale id (from a query's notify or a watcher event) from a live
	 * one.  Read-locked to find a stream, write-locked to add or remove
	 * one. */
	pthread_rwlock_t streams_lock;
	sl_http_stream_t **slots;
	uint32_t *gens;
	uint32_t nslots, cap;
	uint32_t *free_slots;
	uint32_t nfree;
	int nstreams;

	/* The watcher: an epoll set of suspended connections' sockets
	 * (EPOLLRDHUP: the client went away) and an eventfd to stop it. */
	int epfd;
	int wakefd;
	pthread_t watcher;
	bool has_watcher;
	atomic_bool watcher_quit;

	/* Ended streams whose query the reaper threads close (closing may
	 * join a query thread: not on a worker, nor on the watcher). */
	pthread_mutex_t reap_lock;
	pthread_cond_t reap_cond;
	sl_http_stream_t *reap;
	pthread_t *reapers;
	int nreapers;
	bool reap_quit;

	atomic_int push_subscribers;
	atomic_long requests[SL_EP_COUNT][500]; /* by endpoint and status - 100 */
};

/* Per request: created on the first call of the access handler, freed by
 * the completion callback. */
typedef struct sl_http_req {
	sl_http_t *h;
	sl_http_ep_t ep;
	bool head;     /* a HEAD request: headers only */
	bool answered; /* a response is queued */
	bool too_big;  /* the body passed max_body: answer 413 */
	char *url;     /* the path, unescaped */
	sl_strbuf_t body;

	/* /inserts-stream: rows are inserted as their lines arrive */
	struct sl_http_inserts *ins;
} sl_http_req_t;

/* ---- server.c */
const char *sl_http_ep_path(sl_http_ep_t ep);
/* Queues r (with status) on conn and counts it; destroys r.  Returns
 * MHD_YES or MHD_NO. */
enum MHD_Result sl_http_queue(sl_http_req_t *req, struct MHD_Connection *conn, unsigned status,
			      struct MHD_Response *r);

/* ---- reply.c */
/* A JSON body (copied) with status. */
enum MHD_Result sl_http_reply_json(sl_http_req_t *req, struct MHD_Connection *conn, unsigned status,
				   const char *json, const char *ctype);
/* Serializes j (not freed) and replies with it. */
enum MHD_Result sl_http_reply_cjson(sl_http_req_t *req, struct MHD_Connection *conn,
				    unsigned status, const cJSON *j, const char *ctype);
/* {"@type":"generic_error","error_code":code,"message":msg} with status. */
enum MHD_Result sl_http_reply_error(sl_http_req_t *req, struct MHD_Connection *conn,
				    unsigned status, int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The statement_error (or generic_error when no statement) of a failed
 * sl_engine_execute()/sl_engine_query(); entities (may be NULL) are the
 * results of the statements that succeeded before. */
enum MHD_Result sl_http_reply_exec_error(sl_http_req_t *req, struct MHD_Connection *conn,
					 const sl_exec_error_t *e, const cJSON *entities);
/* The error object alone, as /query-stream writes it mid-stream. */
cJSON *sl_http_error_json(int code, const char *msg);
/* The ksqlDB error code of an HTTP status. */
int sl_http_error_code(unsigned status);

/* ---- endpoint.c */
/* Runs the endpoint of req on its complete body. */
enum MHD_Result sl_http_endpoint_run(sl_http_req_t *req, struct MHD_Connection *conn);
/* /inserts-stream: consumes data[0..len) as it arrives. */
void sl_http_inserts_feed(sl_http_req_t *req, struct MHD_Connection *conn, const char *data,
			  size_t len);
void sl_http_inserts_free(struct sl_http_inserts *ins);
/* The media type an Accept header picks among supported[] (NULL
 * terminated); def when absent or a wildcard; NULL when none fits. */
const char *sl_http_accept(const char *accept, const char *const *supported, const char *def);

/* ---- stream.c */
int sl_http_streams_init(sl_http_t *h, sl_error_t *err);
/* Wakes every stream so that it ends, and waits (up to timeout_ms) until
 * none is suspended: libmicrohttpd must not be stopped with suspended
 * connections. */
void sl_http_streams_stop(sl_http_t *h, int timeout_ms);
void sl_http_streams_free(sl_http_t *h);
/* Streams tquery t (owned from now on, with session s) to conn in fmt;
 * queues the 200 response. */
enum MHD_Result sl_http_stream_start(sl_http_req_t *req, struct MHD_Connection *conn,
				     sl_tquery_t *t, sl_session_t *s, sl_http_fmt_t fmt,
				     const char *ctype);

/* ---- auth.c */
/* Loads path ("user:password" or Jetty's "user: password[,role...]"
 * lines). */
int sl_http_auth_load(sl_http_auth_t *a, const char *path, sl_error_t *err);
void sl_http_auth_free(sl_http_auth_t *a);
/* True when the Authorization header of conn names a user of a with the
 * right password. */
bool sl_http_auth_check(const sl_http_auth_t *a, struct MHD_Connection *conn);

#endif
