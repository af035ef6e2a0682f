/* strmap.c - string -> size_t hash map (see strmap.h). */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

uint64_t strmap_hash_more(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

uint64_t strmap_hash(const void *data, size_t len)
{
	return strmap_hash_more(1469598103934665603ULL, data, len);
}

static size_t find(const struct strmap *m, const char *key)
{
	size_t mask = m->cap - 1, i = (size_t)strmap_hash(key, strlen(key)) & mask;

	while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & mask;
	return i;
}

static int grow(struct strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64, i;
	struct strmap_slot *old = m->slots, *ns;
	size_t ocap = m->cap;

	if (ncap > SIZE_MAX / sizeof *ns)
		return -1;
	ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	m->slots = ns;
	m->cap = ncap;
	for (i = 0; i < ocap; i++)
		if (old[i].key)
			m->slots[find(m, old[i].key)] = old[i];
	free(old);
	return 0;
}

int strmap_put(struct strmap *m, const char *key, size_t value)
{
	size_t i;

	if ((m->len + 1) * 4 > m->cap * 3 && grow(m))
		return -1;
	i = find(m, key);
	if (!m->slots[i].key) {
		m->slots[i].key = strdup(key);
		if (!m->slots[i].key)
			return -1;
		m->len++;
	}
	m->slots[i].value = value;
	return 0;
}

bool strmap_get(const struct strmap *m, const char *key, size_t *value)
{
	size_t i;

	if (!m->cap)
		return false;
	i = find(m, key);
	if (!m->slots[i].key)
		return false;
	if (value)
		*value = m->slots[i].value;
	return true;
}

void strmap_release(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->len = 0;
}
