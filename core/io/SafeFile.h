#pragma once
// How the engine touches files named by a user: the type is checked before anything is opened, a
// read never blocks on a FIFO or a device and never takes more than the caller's cap, and a write
// replaces only a regular file (or creates a new one), atomically, with no signal able to leave a
// half-written temporary file behind. The model files (SafeTensors) and the data files (Idx) both
// read through Reader and write through writeAtomically.
//
// Writes go to "<path>.tmp-<pid>-<n>" beside the target, are flushed to disk and renamed over the
// target. SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked on the writing thread from the creation of
// the temporary file until it has been renamed or removed (the engine's pool threads block them for
// good), so Ctrl-C during a save takes effect just after it. Temporary files of that naming whose
// process is gone (SIGKILL, power loss) are removed before the next write of the same target.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace ael::file {

/// Throws an exception naming `path` and `problem`; must not return.
using Fail = void (*)(const std::string &path, const std::string &problem);

/// Why `path` may not be written by writeAtomically: it exists and is not a regular file (a FIFO, a
/// device such as /dev/null, a socket, a directory), or its name is empty or a directory name.
/// Empty when it is a regular file or does not exist. Symbolic links are followed.
std::string whyNotWritable(const std::string &path);

/// Whether two paths name the same file, whether or not it exists yet: "a.idx" and "./a.idx", a path
/// through a symbolic link, "d/../a.idx". (An output that is also an input would be destroyed.)
bool samePath(const std::string &a, const std::string &b);

/// Why no file can be created in the directory `path` would be written to (it does not exist, is
/// not a directory, or this user may not write there); empty when one can. Asked before a long
/// computation whose result would otherwise be lost at the end.
std::string whyDirectoryNotWritable(const std::string &path);

/// Opens a regular file for reading: checks the type first, opens without blocking (O_NONBLOCK, in
/// case the path was swapped for a FIFO since) and checks again on the open descriptor. Returns the
/// descriptor and sets `size`; calls fail() for anything but a regular file or a size above `cap`.
int openRegular(const std::string &path, uint64_t cap, uint64_t &size, Fail fail);

/// Reads exactly n bytes at the descriptor's position (EINTR retried); fail() on error or early end.
void readExactly(int fd, uint8_t *out, size_t n, const std::string &path, Fail fail);

/// Writes all n bytes (EINTR retried); fail(path, what + ": " + the error) on error (e.g. a full disk).
void writeExactly(int fd, const uint8_t *p, size_t n, const std::string &path, Fail fail,
                  const std::string &what = "cannot write");

/// A regular file of at most `cap` bytes, open for reading (openRegular) until it goes out of scope.
/// Reads are sequential and checked against the size the file system reported: a request for more
/// than remains is refused before any buffer is allocated (a header that declares more than the
/// file holds costs nothing), and a file that shrinks while being read is an error.
class Reader {
public:
    Reader(const std::string &path, uint64_t cap, Fail fail);
    ~Reader();
    Reader(const Reader &) = delete;
    Reader &operator=(const Reader &) = delete;

    uint64_t size() const { return size_; }
    uint64_t remaining() const { return size_ - position_; }
    /// The next n bytes into out; fail() when n > remaining().
    void read(uint8_t *out, size_t n);
    /// The next n bytes as a new buffer; fail() when n > remaining(), before allocating.
    std::vector<uint8_t> take(uint64_t n);

private:
    void checkRemaining(uint64_t n) const;

    std::string path_;
    Fail fail_;
    int fd_ = -1;
    uint64_t size_ = 0, position_ = 0;
};

/// Writes `path` atomically with body(fd, temporary file's name) (see above). Refuses targets whyNotWritable() objects to.
/// On any failure the temporary file is removed, the target is untouched and fail() is called.
void writeAtomically(const std::string &path, const std::function<void(int fd, const std::string &tmp)> &body, Fail fail);
/// Several files that belong together (an IDX images file and its labels): every one is written to its
/// temporary file first, and only when all are complete are they renamed into place, in order. A failure
/// (or an interruption) while writing any of them leaves every target untouched.
struct Part {
    std::string path;
    std::function<void(int fd, const std::string &tmp)> body;
};
void writeAtomically(const std::vector<Part> &parts, Fail fail);
/// Whether a termination signal (Ctrl-C, …) is waiting for a write to end: a long write (compressing a
/// large file) checks it now and then and gives up, so that the signal takes effect within a moment and
/// the targets stay as they were.
bool terminationPending();
/// Writes the n bytes at `data` as `path`, atomically (as above).
void writeAtomically(const std::string &path, const uint8_t *data, size_t n, Fail fail);

/// Removes "<path>.tmp-<pid>-<n>" files beside `path` whose process no longer exists. Returns how many.
int removeStaleTemporaries(const std::string &path);

/// Blocks SIGINT, SIGTERM, SIGHUP and SIGQUIT on the calling thread for good (pool workers: a
/// process-directed signal must reach a thread that can defer it).
void blockTerminationSignalsOnThisThread();

/// Installs `handler` for each of `signals` (SA_RESTART), to run on an alternate stack of the calling thread
/// (64 KiB, made once per thread), which must be the thread the signals reach (the pool's workers block the
/// termination signals). On the thread's own stack the signal's frame lands just below the interrupted code's
/// stack pointer, and a signal in the middle of one of oneDNN's products (Debian's libdnnl 2.x) corrupted the
/// heap: `aelab-cli train` interrupted by Ctrl-C aborted in 11 of 40 runs, and a product interrupted every
/// 37 µs on every run; with this stack, none of 160 and 56,000 (tst_signals).
void handleOnOwnStack(std::initializer_list<int> signals, void (*handler)(int));

}  // namespace ael::file
