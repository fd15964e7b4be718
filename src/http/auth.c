/*
 * auth.c: HTTP basic authentication against a password file.
 *
 * Stage: http.  Takes the password file named by --password-file and the
 * Authorization header of each request; hands on yes or no.  The file
 * holds one user a line, either "user:password" (everything after the
 * first colon is the password) or the form of the Jetty
 * HashLoginService file that ksqlDB uses, "user: password[,role...]" (a
 * blank after the colon; the roles are ignored).  Blank lines and lines
 * starting with '#' are skipped.  Passwords are plain text: Jetty's
 * MD5:, CRYPT: and OBF: forms are refused when the file is loaded.
 */
#include "http/internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/scalar.h"

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

void
sl_http_auth_free(sl_http_auth_t *a)
{
	for (int i = 0; i < a->n; i++) {
		free(a->users[i].name);
		if (a->users[i].password != NULL) {
			memset(a->users[i].password, 0, strlen(a->users[i].password));
			free(a->users[i].password);
		}
	}
	free(a->users);
	a->users = NULL;
	a->n = 0;
}

int
sl_http_auth_load(sl_http_auth_t *a, const char *path, sl_error_t *err)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0, cap = 0;

	a->users = NULL;
	a->n = 0;
	if (f == NULL)
		return sl_error_set(err, SL_EIO, "cannot read password file %s: %s", path,
				    strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *colon, *pw, *name;
		lineno++;
		s = line;
		s[strcspn(s, "\r\n")] = '\0';
		if (*trim(s) == '\0' || *trim(s) == '#')
			continue;
		while (isspace((unsigned char)*s))
			s++;
		colon = strchr(s, ':');
		if (colon == NULL || colon == s)
			goto bad;
		*colon = '\0';
		name = trim(s);
		pw = colon + 1;
		if (isspace((unsigned char)*pw)) {
			/* Jetty: "user: password[,role ...]" */
			char *comma = strchr(pw, ',');
			if (comma != NULL)
				*comma = '\0';
			pw = trim(pw);
			if (strncmp(pw, "MD5:", 4) == 0 || strncmp(pw, "CRYPT:", 6) == 0 ||
			    strncmp(pw, "OBF:", 4) == 0) {
				fclose(f);
				sl_http_auth_free(a);
				return sl_error_set(
					err, SL_EINVAL,
					"password file %s: line %d: hashed or obfuscated "
					"passwords (MD5:, CRYPT:, OBF:) are not supported",
					path, lineno);
			}
		}
		if (*name == '\0' || *pw == '\0')
			goto bad;
		if (a->n == cap) {
			cap = cap ? cap * 2 : 8;
			sl_http_user_t *nu = realloc(a->users, sizeof(*nu) * (size_t)cap);
			if (nu == NULL)
				abort();
			a->users = nu;
		}
		a->users[a->n].name = strdup(name);
		a->users[a->n].password = strdup(pw);
		a->n++;
		memset(line, 0, sizeof(line));
	}
	fclose(f);
	if (a->n == 0)
		return sl_error_set(err, SL_EINVAL, "password file %s holds no user", path);
	return SL_OK;
bad:
	fclose(f);
	sl_http_auth_free(a);
	return sl_error_set(err, SL_EINVAL, "password file %s: line %d: expected \"user:password\"",
			    path, lineno);
}

/* Compares without an early exit, so that timing says nothing of where
 * a guess went wrong. */
static bool
same(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	unsigned char diff = alen != blen;

	for (size_t i = 0; i < alen; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i < blen ? i : 0];
	return diff == 0 && blen > 0;
}

bool
sl_http_auth_check(const sl_http_auth_t *a, struct MHD_Connection *conn)
{
	const char *hdr =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	char cred[1024];
	const char *colon;
	bool ok = false;
	size_t n, hlen;

	if (hdr == NULL || strncasecmp(hdr, "Basic", 5) != 0 || !isspace((unsigned char)hdr[5]))
		return false;
	hdr += 5;
	while (isspace((unsigned char)*hdr))
		hdr++;
	hlen = strlen(hdr);
	while (hlen > 0 && isspace((unsigned char)hdr[hlen - 1]))
		hlen--;
	if (hlen / 4 * 3 + 3 > sizeof(cred) ||
	    !sl_fmt_b64_decode(hdr, hlen, (unsigned char *)cred, &n))
		return false;
	colon = memchr(cred, ':', n);
	if (colon == NULL)
		return false;
	for (int i = 0; i < a->n; i++) {
		size_t ulen = (size_t)(colon - cred);
		bool u = same(cred, ulen, a->users[i].name);
		bool p = same(colon + 1, (size_t)n - ulen - 1, a->users[i].password);
		ok |= u && p;
	}
	memset(cred, 0, sizeof(cred));
	return ok;
}
