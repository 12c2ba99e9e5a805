#include "Catalog.h"

#include "Embedded.h"
#include "Idx.h"

#include <future>

#include <sys/stat.h>

namespace ael {

namespace {

bool isRegularFile(const std::string &path)
{
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

DataSource mnistSource() { return {"mnist", "MNIST digits (embedded, 10,000)", "", "", "", ""}; }

DataSource fashionSource()
{
    const std::string dir = kFashionMnistDir;
    return {"fashion",
            "Fashion-MNIST (60,000 + 10,000)",
            dir + "/train-images-idx3-ubyte.gz",
            dir + "/train-labels-idx1-ubyte.gz",
            dir + "/t10k-images-idx3-ubyte.gz",
            dir + "/t10k-labels-idx1-ubyte.gz"};
}

bool installed(const DataSource &s)
{
    return isRegularFile(s.imagesPath) && isRegularFile(s.labelsPath) && isRegularFile(s.testImagesPath)
           && isRegularFile(s.testLabelsPath);
}

}  // namespace

const std::vector<std::string> &fashionClassNames()
{
    // In the order of the data set's labels (its documentation's table): 7 is the sneaker, 8 the bag.
    static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

std::vector<DataSource> availableDataSources()
{
    std::vector<DataSource> out{mnistSource()};
    if (DataSource f = fashionSource(); installed(f)) out.push_back(std::move(f));
    return out;
}

Split loadSource(const std::string &id)
{
    if (id == "mnist") return stratifiedSplit(embeddedMnist());
    if (id == "fashion") {
        const DataSource s = fashionSource();
        for (const std::string *f : {&s.labelsPath, &s.imagesPath, &s.testLabelsPath, &s.testImagesPath})
            if (!isRegularFile(*f))
                throw DataError(*f + ": Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        // The test set inflates on a thread of its own while the training set (six times larger) does here.
        // If the training set fails, the future's destructor waits for the thread before `s` goes.
        std::future<Dataset> test = std::async(std::launch::async, [&s] {
            return loadIdx(s.testImagesPath, s.testLabelsPath, "Fashion-MNIST — test");
        });
        Dataset train = loadIdx(s.imagesPath, s.labelsPath, "Fashion-MNIST — train");
        Split sp{std::move(train), test.get()};
        sp.train.classNames = sp.test.classNames = fashionClassNames();
        return sp;
    }
    throw DataError("unknown data source '" + id + "' (known: mnist, fashion)");
}

}  // namespace ael
