/*
 * server.c: the HTTP daemon: libmicrohttpd, routing, request bodies.
 *
 * Stage: http.  Takes connections on one listening socket (bound here, so
 * that a port in use is a clear error) served by libmicrohttpd's pool of
 * epoll worker threads; hands each complete request to its endpoint
 * (endpoint.c).  Checks at the edge: the path (404), the method (405),
 * credentials when a password file is set (401; /healthcheck stays
 * open), the body size (413; /inserts-stream is streamed line by line and
 * bounded per line instead).  Counts every answer for /metrics.
 *
 * Entry points: sl_http_create (binds: before the engine starts, so that a
 * port in use fails early), sl_http_serve, sl_http_start (both),
 * sl_http_port, sl_http_stop, and sl_http_queue for the other files.
 */
#include "http/internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEFAULT_MAX_BODY (1u << 20)
#define DEFAULT_THREADS 4
#define DEFAULT_MAX_CONNECTIONS 10000
#define DEFAULT_HEARTBEAT_MS 10000
/* Idle keep-alive connections and stalled uploads are closed after this;
 * suspended connections (idle push queries) do not time out. */
#define CONNECTION_TIMEOUT_S 300

static const struct {
	const char *path;
	const char *method; /* "GET" also answers HEAD */
} routes[SL_EP_COUNT] = {
	[SL_EP_KSQL] = { "/ksql", "POST" },
	[SL_EP_QUERY] = { "/query", "POST" },
	[SL_EP_QUERY_STREAM] = { "/query-stream", "POST" },
	[SL_EP_CLOSE_QUERY] = { "/close-query", "POST" },
	[SL_EP_INSERTS_STREAM] = { "/inserts-stream", "POST" },
	[SL_EP_INFO] = { "/info", "GET" },
	[SL_EP_HEALTHCHECK] = { "/healthcheck", "GET" },
	[SL_EP_STATUS] = { "/status", "GET" },
	[SL_EP_METRICS] = { "/metrics", "GET" },
	[SL_EP_OTHER] = { "other", NULL },
};

const char *
sl_http_ep_path(sl_http_ep_t ep)
{
	return routes[ep].path;
}

static sl_http_ep_t
route(const char *url)
{
	for (int i = 0; i < SL_EP_OTHER; i++)
		if (strcmp(url, routes[i].path) == 0)
			return (sl_http_ep_t)i;
	/* GET /status/<commandId> */
	if (strncmp(url, "/status/", 8) == 0 && url[8] != '\0')
		return SL_EP_STATUS;
	return SL_EP_OTHER;
}

enum MHD_Result
sl_http_queue(sl_http_req_t *req, struct MHD_Connection *conn, unsigned status,
	      struct MHD_Response *r)
{
	enum MHD_Result rc = MHD_queue_response(conn, status, r);

	MHD_destroy_response(r);
	if (rc == MHD_YES && status >= 100 && status < 600) {
		atomic_fetch_add(&req->h->requests[req->ep][status - 100], 1);
		req->answered = true;
	}
	return rc;
}

/* ------------------------------------------------------------- requests */

/* Copies text for an error message: printable ASCII only (the rest as
 * '?', so that the JSON is valid UTF-8), shortened to size. */
static void
printable(char *out, size_t size, const char *text)
{
	size_t n = 0;

	for (; *text != '\0' && n + 4 < size; text++)
		out[n++] = (*text >= 0x20 && *text < 0x7f) ? *text : '?';
	if (*text != '\0') {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	sl_http_t *h = cls;
	sl_http_req_t *req = *con_cls;

	(void)version;
	if (req == NULL) {
		/* first call: the headers are in, the body is not */
		req = calloc(1, sizeof(*req));
		if (req == NULL)
			return MHD_NO;
		req->h = h;
		req->ep = route(url);
		req->url = strdup(url);
		sl_strbuf_init(&req->body);
		*con_cls = req;
		if (atomic_load(&h->stopping))
			return sl_http_reply_error(req, conn, 503, SL_HTTP_ERR_SHUTTING_DOWN,
						   "The server is shutting down");
		if (h->auth.n > 0 && req->ep != SL_EP_HEALTHCHECK &&
		    !sl_http_auth_check(&h->auth, conn)) {
			cJSON *j = sl_http_error_json(SL_HTTP_ERR_UNAUTHORIZED, "Unauthorized");
			char *text = cJSON_PrintUnformatted(j);
			struct MHD_Response *r = MHD_create_response_from_buffer(
				strlen(text), text, MHD_RESPMEM_MUST_COPY);
			cJSON_free(text);
			cJSON_Delete(j);
			if (r == NULL)
				return MHD_NO;
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
						"application/json");
			MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
						"Basic realm=\"sluice\"");
			return sl_http_queue(req, conn, 401, r);
		}
		if (req->ep == SL_EP_OTHER) {
			char shown[128];
			printable(shown, sizeof(shown), url);
			return sl_http_reply_error(req, conn, 404, SL_HTTP_ERR_NOT_FOUND,
						   "unknown endpoint \"%s\"", shown);
		}
		req->head = strcmp(method, "HEAD") == 0;
		if (strcmp(method, routes[req->ep].method) != 0 &&
		    !(req->head && strcmp(routes[req->ep].method, "GET") == 0)) {
			char msg[256], shown[40];
			struct MHD_Response *r;
			cJSON *j;
			char *text;
			printable(shown, sizeof(shown), method);
			snprintf(msg, sizeof(msg), "method %s not allowed on %s: use %s", shown,
				 routes[req->ep].path, routes[req->ep].method);
			j = sl_http_error_json(40500, msg);
			text = cJSON_PrintUnformatted(j);
			r = MHD_create_response_from_buffer(strlen(text), text,
							    MHD_RESPMEM_MUST_COPY);
			cJSON_free(text);
			cJSON_Delete(j);
			if (r == NULL)
				return MHD_NO;
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
						"application/json");
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, routes[req->ep].method);
			return sl_http_queue(req, conn, 405, r);
		}
		if (req->ep != SL_EP_INSERTS_STREAM) {
			const char *cl = MHD_lookup_connection_value(
				conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
			if (cl != NULL && strtoull(cl, NULL, 10) > h->max_body)
				return sl_http_reply_error(req, conn, 413, 41300,
							   "request body larger than %zu bytes",
							   h->max_body);
		}
		return MHD_YES;
	}
	if (req->answered) {
		/* refused before the body: drop what still arrives */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (req->ep == SL_EP_INSERTS_STREAM) {
			sl_http_inserts_feed(req, conn, upload, *upload_size);
		} else if (!req->too_big) {
			if (req->body.len + *upload_size > h->max_body) {
				req->too_big = true;
				sl_strbuf_free(&req->body);
				sl_strbuf_init(&req->body);
			} else {
				sl_strbuf_append(&req->body, upload, *upload_size);
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	/* the whole request is in */
	if (req->too_big)
		return sl_http_reply_error(req, conn, 413, 41300,
					   "request body larger than %zu bytes", h->max_body);
	return sl_http_endpoint_run(req, conn);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	sl_http_req_t *req = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	sl_strbuf_free(&req->body);
	free(req->url);
	if (req->ins != NULL)
		sl_http_inserts_free(req->ins);
	free(req);
	*con_cls = NULL;
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (getenv("SLUICE_HTTP_DEBUG") == NULL)
		return;
	fprintf(stderr, "sluiced: http: ");
	vfprintf(stderr, fmt, ap);
}

/* ------------------------------------------------------------- start/stop */

int
sl_http_parse_listener(const char *text, char *host, size_t size, int *port, int *https,
		       sl_error_t *err)
{
	const char *p = text, *hb, *he, *colon;
	char *end;
	long v;

	*https = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "http://", 7) == 0) {
		p += 7;
	} else if (strncasecmp(p, "https://", 8) == 0) {
		p += 8;
		*https = 1;
	} else if (strstr(p, "://") != NULL) {
		return sl_error_set(err, SL_EINVAL,
				    "listener \"%s\": the scheme must be http or https", text);
	}
	if (strchr(p, ',') != NULL)
		return sl_error_set(err, SL_EINVAL,
				    "listeners \"%s\": only one listener is supported", text);
	if (*p == '[') {
		hb = p + 1;
		he = strchr(hb, ']');
		if (he == NULL || he[1] != ':')
			goto bad;
		colon = he + 1;
	} else {
		hb = p;
		colon = strrchr(p, ':');
		if (colon == NULL)
			goto bad;
		he = colon;
	}
	if ((size_t)(he - hb) >= size)
		goto bad;
	memcpy(host, hb, (size_t)(he - hb));
	host[he - hb] = '\0';
	if (host[0] == '\0')
		snprintf(host, size, "0.0.0.0");
	errno = 0;
	v = strtol(colon + 1, &end, 10);
	while (*end == '/' || isspace((unsigned char)*end))
		end++;
	if (errno != 0 || end == colon + 1 || *end != '\0' || v < 0 || v > 65535)
		goto bad;
	*port = (int)v;
	return SL_OK;
bad:
	return sl_error_set(err, SL_EINVAL,
			    "listener \"%s\": expected ADDR:PORT or http://ADDR:PORT", text);
}

static char *
slurp(const char *path, sl_error_t *err)
{
	FILE *f = fopen(path, "rb");
	sl_strbuf_t sb;
	char buf[4096];
	size_t n;

	if (f == NULL) {
		sl_error_set(err, SL_EIO, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	sl_strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sl_strbuf_append(&sb, buf, n);
	fclose(f);
	if (sb.len == 0) {
		sl_strbuf_free(&sb);
		sl_error_set(err, SL_EINVAL, "%s is empty", path);
		return NULL;
	}
	return sl_strbuf_steal(&sb);
}

/* Binds and listens on host:port; returns the socket or -1. */
static int
bind_listener(const char *host, int port, sl_error_t *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char service[16];
	int fd = -1, rc, saved = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%d", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		sl_error_set(err, SL_EINVAL, "cannot listen on %s:%d: %s", host, port,
			     gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		int one = 1;
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		sl_error_set(err, SL_EIO, "cannot listen on %s:%d: %s%s", host, port,
			     strerror(saved),
			     saved == EADDRINUSE ? " (is another sluiced or ksqlDB running? "
						   "choose another port with --listen)" :
						   "");
	return fd;
}

static int
bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -1;
}

/* Raises the open-file limit to its hard limit (every push subscriber is
 * a socket) and returns the connections that it leaves room for. */
static int
connection_room(int wanted)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return wanted;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	/* Kafka, SQLite and the engine need descriptors too */
	if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)wanted + 256 > rl.rlim_cur)
		wanted = rl.rlim_cur > 512 ? (int)(rl.rlim_cur - 256) : (int)(rl.rlim_cur / 2);
	return wanted;
}

/* Frees h, which serves nothing (no daemon). */
static void
http_free(sl_http_t *h)
{
	/* a daemon that failed to start may have closed it already */
	if (h->listen_fd >= 0 && fcntl(h->listen_fd, F_GETFD) != -1)
		close(h->listen_fd);
	sl_http_streams_free(h);
	sl_http_auth_free(&h->auth);
	if (h->tls_key_pem != NULL)
		memset(h->tls_key_pem, 0, strlen(h->tls_key_pem));
	free(h->tls_cert_pem);
	free(h->tls_key_pem);
	free(h->host);
	pthread_rwlock_destroy(&h->streams_lock);
	pthread_mutex_destroy(&h->reap_lock);
	pthread_cond_destroy(&h->reap_cond);
	free(h);
}

int
sl_http_create(const sl_http_config_t *cfg, sl_http_t **out, sl_error_t *err)
{
	sl_http_t *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (h == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	h->listen_fd = -1;
	h->epfd = -1;
	h->wakefd = -1;
	h->host = strdup(cfg->listen ? cfg->listen : "127.0.0.1");
	h->max_body = cfg->max_body ? cfg->max_body : DEFAULT_MAX_BODY;
	h->heartbeat_ms = cfg->heartbeat_ms > 0 ? cfg->heartbeat_ms : DEFAULT_HEARTBEAT_MS;
	h->threads = cfg->threads > 0 ? cfg->threads : DEFAULT_THREADS;
	h->max_connections = connection_room(cfg->max_connections > 0 ? cfg->max_connections :
									DEFAULT_MAX_CONNECTIONS);
	pthread_rwlock_init(&h->streams_lock, NULL);
	pthread_mutex_init(&h->reap_lock, NULL);
	pthread_cond_init(&h->reap_cond, NULL);
	h->nreapers = h->threads;

	if (cfg->password_file != NULL &&
	    sl_http_auth_load(&h->auth, cfg->password_file, err) != SL_OK)
		goto fail;
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		sl_error_set(err, SL_EINVAL,
			     "TLS needs both a certificate and a key "
			     "(--tls-cert and --tls-key)");
		goto fail;
	}
	if (cfg->tls_cert != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			sl_error_set(err, SL_ENOTSUP,
				     "this libmicrohttpd was built without TLS support");
			goto fail;
		}
		if ((h->tls_cert_pem = slurp(cfg->tls_cert, err)) == NULL ||
		    (h->tls_key_pem = slurp(cfg->tls_key, err)) == NULL)
			goto fail;
		h->tls = true;
	}
	h->listen_fd = bind_listener(h->host, cfg->port, err);
	if (h->listen_fd < 0)
		goto fail;
	h->port = bound_port(h->listen_fd);
	*out = h;
	return SL_OK;
fail:
	http_free(h);
	return err ? err->code : SL_ERR;
}

int
sl_http_serve(sl_http_t *h, sl_engine_t *eng, sl_error_t *err)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;

	h->eng = eng;
	if (sl_http_streams_init(h, err) != SL_OK)
		return err ? err->code : SL_ERR;
	if (h->tls)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem opts[] = {
		{ MHD_OPTION_LISTEN_SOCKET, h->listen_fd, NULL },
		{ MHD_OPTION_THREAD_POOL_SIZE, h->threads, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, h->max_connections, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, h },
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, h },
		/* last: MHD_OPTION_END ends the list without TLS */
		{ h->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, h->tls_key_pem },
		{ h->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, h->tls_cert_pem },
		{ MHD_OPTION_END, 0, NULL },
	};
	h->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_ARRAY, opts,
				     MHD_OPTION_END);
	if (h->daemon == NULL)
		return sl_error_set(err, SL_ERR, "cannot start the HTTP server on %s:%d%s", h->host,
				    h->port,
				    h->tls ? " (is the TLS certificate or key malformed, or do "
					     "they not match?)" :
					     "");
	h->listen_fd = -1; /* the daemon closes it when it stops */
	return SL_OK;
}

int
sl_http_start(sl_engine_t *eng, const sl_http_config_t *cfg, sl_http_t **out, sl_error_t *err)
{
	sl_http_t *h;
	int rc;

	*out = NULL;
	if ((rc = sl_http_create(cfg, &h, err)) != SL_OK)
		return rc;
	if ((rc = sl_http_serve(h, eng, err)) != SL_OK) {
		sl_http_stop(h);
		return rc;
	}
	*out = h;
	return SL_OK;
}

int
sl_http_port(const sl_http_t *h)
{
	return h->port;
}

void
sl_http_stop(sl_http_t *h)
{
	if (h == NULL)
		return;
	atomic_store(&h->stopping, true);
	if (h->daemon != NULL) {
		sl_http_streams_stop(h, 5000);
		MHD_stop_daemon(h->daemon);
	}
	http_free(h);
}
