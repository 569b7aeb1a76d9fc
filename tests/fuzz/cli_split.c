/* Fuzz the batch-file word splitter (quotes, escapes, comments). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *words[64];
	int n, i;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	n = cli_split(line, words, 64);
	for (i = 0; i < n; i++)
		if (strlen(words[i]) > size)
			abort();
	free(line);
	return 0;
}
