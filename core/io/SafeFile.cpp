#include "SafeFile.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ael::file {

namespace {

std::string errnoText(int err) { return std::strerror(err); }

/// The directory a file named `path` is in ("." for a bare name).
std::filesystem::path directoryOf(const std::string &path)
{
    const std::filesystem::path p(path);
    return p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
}

[[noreturn]] void failed(Fail fail, const std::string &path, const std::string &problem)
{
    fail(path, problem);
    throw std::logic_error(path + ": " + problem);  // fail() must throw; never reached
}

sigset_t terminationSignals()
{
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, s);
    return set;
}

/// Blocks the termination signals for its lifetime; pending ones are delivered when it ends.
class DeferSignals {
public:
    DeferSignals()
    {
        const sigset_t set = terminationSignals();
        pthread_sigmask(SIG_BLOCK, &set, &previous_);
    }
    ~DeferSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    DeferSignals(const DeferSignals &) = delete;
    DeferSignals &operator=(const DeferSignals &) = delete;

private:
    sigset_t previous_;
};

const char *typeName(mode_t m)
{
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

/// "<name>.tmp-<pid>-<n>" → pid, or -1 when `entry` is not a temporary file of `name`.
long temporaryPid(const std::string &entry, const std::string &name)
{
    const std::string prefix = name + ".tmp-";
    if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) return -1;
    size_t i = prefix.size();
    long pid = 0;
    const size_t digits = i;
    while (i < entry.size() && entry[i] >= '0' && entry[i] <= '9' && i - digits < 10) pid = pid * 10 + (entry[i++] - '0');
    if (i == digits || i >= entry.size() || entry[i] != '-') return -1;
    const size_t counter = ++i;
    while (i < entry.size() && entry[i] >= '0' && entry[i] <= '9') ++i;
    return i > counter && i == entry.size() && pid > 0 ? pid : -1;
}

}  // namespace

std::string whyNotWritable(const std::string &path)
{
    namespace fs = std::filesystem;
    if (path.empty()) return "the file name is empty";
    if (fs::path(path).filename().empty()) return "the path names a directory, not a file";
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return {};  // new file (or a dangling link: rename replaces it)
    if (!S_ISREG(st.st_mode)) return std::string("it is ") + typeName(st.st_mode) + "; only a regular file or a new path is written";
    // The rename needs only the directory's permission, so a file made read-only (chmod a-w) to keep it was
    // replaced all the same. No write bit, or none for us (root is granted one by access(), not the bits).
    if ((st.st_mode & 0222) == 0 || ::access(path.c_str(), W_OK) != 0)
        return "the file is write-protected; make it writable (chmod u+w) to replace it, or choose another name";
    return {};
}

bool samePath(const std::string &a, const std::string &b)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::equivalent(a, b, ec)) return true;
    // Not both existing: compare the absolute names, links in the existing part resolved.
    const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
    if (ec) return a == b;
    const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
    if (ec) return a == b;
    return ca == cb;
}

std::string whyDirectoryNotWritable(const std::string &path)
{
    namespace fs = std::filesystem;
    const fs::path dir = directoryOf(path);
    std::error_code ec;
    if (!fs::exists(dir, ec)) return "the directory " + dir.string() + " does not exist";
    if (!fs::is_directory(dir, ec)) return dir.string() + " is not a directory";
    // Writing a file there means creating a temporary file: write and search permission on the directory.
    if (::access(dir.c_str(), W_OK | X_OK) != 0) return "cannot write in the directory " + dir.string() + ": " + errnoText(errno);
    return {};
}

int openRegular(const std::string &path, uint64_t cap, uint64_t &size, Fail fail)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0)
        failed(fail, path, "cannot open: " + (errno == ENOENT ? std::string("no such file") : errnoText(errno)));
    if (!S_ISREG(st.st_mode)) failed(fail, path, std::string("cannot open: it is ") + typeName(st.st_mode));
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) failed(fail, path, "cannot open: " + errnoText(errno));
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        failed(fail, path, "cannot open: not a regular file");
    }
    size = uint64_t(st.st_size);
    if (size > cap) {
        ::close(fd);
        failed(fail, path, "the file is " + std::to_string(size) + " bytes, more than the limit of " +
                               std::to_string(cap) + " bytes");
    }
    return fd;
}

void readExactly(int fd, uint8_t *out, size_t n, const std::string &path, Fail fail)
{
    size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd, out + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) failed(fail, path, "read error: " + errnoText(errno));
        if (r == 0) failed(fail, path, "the file shrank while being read");
        got += size_t(r);
    }
}

void writeExactly(int fd, const uint8_t *p, size_t n, const std::string &path, Fail fail, const std::string &what)
{
    while (n > 0) {
        const ssize_t w = ::write(fd, p, std::min<size_t>(n, size_t(1) << 30));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) failed(fail, path, what + ": " + errnoText(errno));
        p += w;
        n -= size_t(w);
    }
}

Reader::Reader(const std::string &path, uint64_t cap, Fail fail) : path_(path), fail_(fail)
{
    fd_ = openRegular(path, cap, size_, fail);
}

Reader::~Reader() { ::close(fd_); }

void Reader::checkRemaining(uint64_t n) const
{
    if (n > remaining())
        failed(fail_, path_, "a read of " + std::to_string(n) + " bytes at offset " + std::to_string(position_) +
                                 " runs past the end of the " + std::to_string(size_) + "-byte file");
}

void Reader::read(uint8_t *out, size_t n)
{
    checkRemaining(n);
    readExactly(fd_, out, n, path_, fail_);
    position_ += n;
}

std::vector<uint8_t> Reader::take(uint64_t n)
{
    checkRemaining(n);  // before the allocation
    std::vector<uint8_t> out(static_cast<size_t>(n));
    read(out.data(), out.size());
    return out;
}

int removeStaleTemporaries(const std::string &path)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const std::string name = target.filename().string();
    if (name.empty()) return 0;
    const std::string dir = directoryOf(path).string();
    DIR *d = ::opendir(dir.c_str());
    if (!d) return 0;
    int removed = 0;
    while (const dirent *e = ::readdir(d)) {
        const long pid = temporaryPid(e->d_name, name);
        if (pid <= 0 || pid == long(::getpid())) continue;
        if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to ask about)
        const std::string stale = dir + "/" + e->d_name;
        struct stat st{};
        if (::lstat(stale.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::unlink(stale.c_str()) == 0) ++removed;
    }
    ::closedir(d);
    return removed;
}

void writeAtomically(const std::vector<Part> &parts, Fail fail)
{
    namespace fs = std::filesystem;
    for (const Part &p : parts) {
        if (std::string why = whyNotWritable(p.path); !why.empty()) failed(fail, p.path, "cannot save: " + why);
        removeStaleTemporaries(p.path);
    }

    DeferSignals defer;  // until every temporary file is renamed or removed
    static std::atomic<unsigned> counter{0};
    struct Temporary {
        std::string name;
        int fd = -1;
    };
    std::vector<Temporary> temps(parts.size());
    const auto discard = [&temps] {
        for (Temporary &t : temps) {
            if (t.fd >= 0) ::close(t.fd);
            if (!t.name.empty()) ::unlink(t.name.c_str());
            t = Temporary{};
        }
    };
    try {
        for (size_t i = 0; i < parts.size(); ++i) {
            const std::string &path = parts[i].path;
            Temporary &t = temps[i];
            for (int attempt = 0; attempt < 100 && t.fd < 0; ++attempt) {
                const std::string name = path + ".tmp-" + std::to_string(long(::getpid())) + "-" + std::to_string(counter++);
                t.fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
                if (t.fd >= 0) t.name = name;
                if (t.fd < 0 && errno != EEXIST) {
                    const int err = errno;
                    const fs::path dir = directoryOf(path);
                    std::error_code ec;
                    if (err == ENOENT && !fs::exists(dir, ec))
                        failed(fail, path, "cannot save: directory '" + dir.string() + "' does not exist");
                    if (err == ENOTDIR) failed(fail, path, "cannot save: '" + dir.string() + "' is not a directory");
                    // The temporary file is ours, not the user's: name the folder that refused it.
                    if (err == EACCES || err == EPERM)
                        failed(fail, path, "cannot save: no permission to create files in the folder '" + dir.string() + "'");
                    if (err == EROFS) failed(fail, path, "cannot save: the folder '" + dir.string() + "' is on a read-only file system");
                    failed(fail, path, "cannot create temporary file '" + name + "': " + errnoText(err));
                }
            }
            if (t.fd < 0) failed(fail, path, "cannot create a temporary file beside it: " + errnoText(EEXIST));
            // Keep the permissions of a file we replace (best effort).
            struct stat st{};
            if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) (void)::fchmod(t.fd, st.st_mode & 07777);
            parts[i].body(t.fd, t.name);
            if (::fsync(t.fd) != 0) failed(fail, path, "cannot flush to disk: " + errnoText(errno));
            const int fd = t.fd;
            t.fd = -1;
            if (::close(fd) != 0) failed(fail, path, "cannot close the temporary file: " + errnoText(errno));
        }
        // A target may have been swapped for a special file while we wrote.
        for (const Part &p : parts)
            if (std::string why = whyNotWritable(p.path); !why.empty()) failed(fail, p.path, "cannot save: " + why);
    } catch (...) {
        discard();
        throw;
    }
    for (size_t i = 0; i < parts.size(); ++i) {
        if (::rename(temps[i].name.c_str(), parts[i].path.c_str()) != 0) {
            const int err = errno;
            discard();  // this one and those not renamed yet
            failed(fail, parts[i].path, "cannot rename the temporary file into place: " + errnoText(err));
        }
        temps[i].name.clear();
        // Make the rename itself durable (best effort: some file systems refuse fsync on directories).
        const int dfd = ::open(directoryOf(parts[i].path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)::fsync(dfd);
            ::close(dfd);
        }
    }
}

void writeAtomically(const std::string &path, const std::function<void(int fd, const std::string &tmp)> &body, Fail fail)
{
    writeAtomically(std::vector<Part>{{path, body}}, fail);
}

bool terminationPending()
{
    sigset_t pending;
    if (sigpending(&pending) != 0) return false;
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
        if (sigismember(&pending, s) != 1) continue;
        // A blocked signal stays pending even when its action is to ignore it (nohup ignores SIGHUP):
        // once unblocked it is discarded, so it interrupts nothing.
        struct sigaction action{};
        if (sigaction(s, nullptr, &action) == 0 && !(action.sa_flags & SA_SIGINFO) && action.sa_handler == SIG_IGN) continue;
        return true;
    }
    return false;
}

void writeAtomically(const std::string &path, const uint8_t *data, size_t n, Fail fail)
{
    writeAtomically(
        path,
        [&](int fd, const std::string &tmp) {
            writeExactly(fd, data, n, path, fail, "cannot write temporary file '" + tmp + "'");
        },
        fail);
}

void blockTerminationSignalsOnThisThread()
{
    const sigset_t set = terminationSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void handleOnOwnStack(std::initializer_list<int> signals, void (*handler)(int))
{
    // SIGSTKSZ is not a constant in glibc ≥ 2.34; a frame with the AVX-512 and AMX state is ~11 KiB.
    // The stack is the thread's until it ends; it is unregistered before its memory goes.
    struct AltStack {
        std::vector<char> memory;
        ~AltStack()
        {
            if (memory.empty()) return;
            stack_t off{};
            off.ss_flags = SS_DISABLE;
            sigaltstack(&off, nullptr);
        }
    };
    thread_local AltStack stack;
    if (stack.memory.empty()) {
        stack.memory.resize(std::max<size_t>(size_t(64) << 10, size_t(SIGSTKSZ)));
        stack_t ss{};
        ss.ss_sp = stack.memory.data();
        ss.ss_size = stack.memory.size();
        sigaltstack(&ss, nullptr);
    }
    struct sigaction sa{};
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_ONSTACK | SA_RESTART;
    for (int sig : signals) sigaction(sig, &sa, nullptr);
}

}  // namespace ael::file
