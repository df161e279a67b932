/*
 * inflate_only: the "read + inflate only" floor for scripts/bench.
 *
 * Reads every *.json.gz, *.json and *.jsonl file under the given paths (directories are walked recursively),
 * inflates the gzip'd ones with zlib (multi-member gzip included) and counts the bytes, using N worker threads
 * that take files from a shared list. Nothing is parsed: this is the physical limit a scanner can approach.
 *
 *   cc -O2 -o inflate_only inflate_only.c -lz -lpthread
 *   inflate_only [-t THREADS] PATH...        (THREADS defaults to 2)
 *
 * Prints one line: files=N gz_files=N in_bytes=N out_bytes=N seconds=S
 * Files are read in 1 MiB pieces and inflated through a 256 KiB buffer, so memory stays flat.
 * Exits 1 (with the file name and reason on stderr) if a file cannot be read or is corrupt.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

enum { IN_CHUNK = 1024 * 1024, OUT_CHUNK = 256 * 1024 };

static char **files;
static size_t file_count, file_cap;
static atomic_size_t next_file;
static atomic_int failed;

struct worker {
    pthread_t thread;
    uint64_t in_bytes, out_bytes, gz_files;
};

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int wanted(const char *path) {
    return ends_with(path, ".json.gz") || ends_with(path, ".json") || ends_with(path, ".jsonl")
        || ends_with(path, ".jsonl.gz");
}

static int add_file(const char *path) {
    if (file_count == file_cap) {
        file_cap = file_cap ? file_cap * 2 : 1024;
        char **grown = realloc(files, file_cap * sizeof *files);
        if (!grown) {
            fprintf(stderr, "inflate_only: out of memory\n");
            return -1;
        }
        files = grown;
    }
    files[file_count] = strdup(path);
    if (!files[file_count]) return -1;
    file_count++;
    return 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (type == FTW_F && wanted(path)) return add_file(path);
    if (type == FTW_DNR || type == FTW_NS) {
        fprintf(stderr, "inflate_only: %s: cannot read\n", path);
        return -1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Reads one file in IN_CHUNK pieces (so memory stays flat whatever the file size) and, for a .gz file, inflates
 * every gzip member. Adds to *in_b and *out_b; returns 0, or -1 with the reason in *why.
 */
static int process(const char *path, z_stream *zs, unsigned char *in, unsigned char *out, uint64_t *in_b,
                   uint64_t *out_b, const char **why) {
    int gz = ends_with(path, ".gz");
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        *why = strerror(errno);
        return -1;
    }
    if (gz && inflateReset2(zs, 15 + 16) != Z_OK) {
        close(fd);
        *why = "inflateReset2 failed";
        return -1;
    }
    int member_done = 0, out_full = 0;
    for (;;) {
        ssize_t n = read(fd, in, IN_CHUNK);
        if (n < 0) {
            if (errno == EINTR) continue;
            *why = strerror(errno);
            close(fd);
            return -1;
        }
        if (n == 0) break;
        *in_b += (uint64_t)n;
        if (!gz) {
            *out_b += (uint64_t)n;
            continue;
        }
        zs->next_in = in;
        zs->avail_in = (uInt)n;
        for (;;) {
            if (zs->avail_in == 0 && !out_full) break;
            if (member_done) {
                if (zs->avail_in == 0) break;
                /* Another gzip member follows (concatenated .gz files are valid gzip). */
                if (inflateReset(zs) != Z_OK) {
                    *why = "inflateReset failed";
                    close(fd);
                    return -1;
                }
                member_done = 0;
            }
            zs->next_out = out;
            zs->avail_out = OUT_CHUNK;
            int rc = inflate(zs, Z_NO_FLUSH);
            *out_b += OUT_CHUNK - zs->avail_out;
            out_full = zs->avail_out == 0;
            if (rc == Z_STREAM_END) {
                member_done = 1;
                out_full = 0;
            } else if (rc == Z_BUF_ERROR && zs->avail_in == 0) {
                out_full = 0; /* needs the next chunk */
            } else if (rc != Z_OK) {
                *why = zs->msg ? zs->msg : "corrupt gzip stream";
                close(fd);
                return -1;
            }
        }
    }
    close(fd);
    if (gz && !member_done) {
        *why = "truncated gzip stream";
        return -1;
    }
    return 0;
}

static void *work(void *arg) {
    struct worker *w = arg;
    unsigned char *in = malloc(IN_CHUNK), *out = malloc(OUT_CHUNK);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (!in || !out || inflateInit2(&zs, 15 + 16) != Z_OK) {
        fprintf(stderr, "inflate_only: cannot initialise zlib\n");
        atomic_store(&failed, 1);
        free(in);
        free(out);
        return NULL;
    }
    for (;;) {
        size_t i = atomic_fetch_add(&next_file, 1);
        if (i >= file_count) break;
        const char *why = NULL;
        if (process(files[i], &zs, in, out, &w->in_bytes, &w->out_bytes, &why) != 0) {
            fprintf(stderr, "inflate_only: %s: %s\n", files[i], why);
            atomic_store(&failed, 1);
            continue;
        }
        if (ends_with(files[i], ".gz")) w->gz_files++;
    }
    inflateEnd(&zs);
    free(in);
    free(out);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = 2, opt;
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt == 't') {
            threads = atoi(optarg);
            if (threads < 1 || threads > 256) {
                fprintf(stderr, "inflate_only: -t wants 1..256, got %s\n", optarg);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: inflate_only [-t THREADS] PATH...\n");
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: inflate_only [-t THREADS] PATH...\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "inflate_only: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        if (S_ISDIR(st.st_mode)) {
            if (nftw(argv[i], visit, 64, FTW_PHYS) != 0) return 1;
        } else if (add_file(argv[i]) != 0) {
            return 1;
        }
    }
    /* Sorted so that both workers walk the files in a stable order, as a scanner would. */
    qsort(files, file_count, sizeof *files, cmp_str);
    struct worker *ws = calloc((size_t)threads, sizeof *ws);
    if (!ws) return 1;
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&ws[i].thread, NULL, work, &ws[i]) != 0) {
            fprintf(stderr, "inflate_only: cannot start thread %d\n", i);
            return 1;
        }
    }
    uint64_t in = 0, out = 0, gz = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ws[i].thread, NULL);
        in += ws[i].in_bytes;
        out += ws[i].out_bytes;
        gz += ws[i].gz_files;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("files=%zu gz_files=%llu in_bytes=%llu out_bytes=%llu seconds=%.4f\n", file_count,
           (unsigned long long)gz, (unsigned long long)in, (unsigned long long)out, secs);
    return atomic_load(&failed) ? 1 : 0;
}
