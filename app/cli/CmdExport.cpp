// aelab-cli export: a data set as IDX files.
#include "Commands.h"
#include "Common.h"

#include "core/data/Catalog.h"
#include "core/data/Embedded.h"
#include "core/data/Idx.h"

#include <filesystem>
#include <iostream>

namespace cli {

using namespace ael;

int cmdExport(const ArgList &argv)
{
    Args a("export", "--data mnist|fashion --images OUT --labels OUT [--split train|test|all]",
           "Writes a data set as an IDX images file and an IDX labels file, gzip'd when the names end in .gz.\n"
           "The embedded MNIST digits in file order (all) or the halves of the app's stratified split.");
    a.value("data", "mnist|fashion", "which data set (default mnist)");
    a.value("images", "OUT", "images file to write (idx3)");
    a.value("labels", "OUT", "labels file to write (idx1)");
    a.value("split", "train|test|all", "which images (default all)");
    if (a.parseOrPrintHelp(argv)) return 0;
    const std::string id = a.choice("data", "mnist", {"mnist", "fashion"});
    const std::string split = a.choice("split", "all", {"train", "test", "all"});
    if (!a.has("images")) a.fail("images", "required: the images file to write");
    if (!a.has("labels")) a.fail("labels", "required: the labels file to write");
    const std::string images = outputPath(a, "images"), labels = outputPath(a, "labels");
    {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (images == labels || fs::equivalent(images, labels, ec))
            a.fail("labels", "names the same file as --images (" + images + "); the labels would overwrite the images");
    }
    const bool gz = hasSuffix(images, ".gz");
    if (gz != hasSuffix(labels, ".gz")) a.fail("labels", "name both files .gz or neither (one gzip setting for both)");

    Dataset all;
    Split s;
    const Dataset *d = nullptr;
    if (id == "mnist" && split == "all") {
        all = embeddedMnist();
        d = &all;
    } else {
        s = loadSource(id);
        d = &selectSplit(s, split, all);
    }
    writeIdx(*d, images, labels, gz);
    Json j = Json::object();
    j.set("images", images);
    j.set("labels", labels);
    j.set("data", id);
    j.set("split", split);
    j.set("count", d->size());
    j.set("rows", d->rows);
    j.set("cols", d->cols);
    j.set("gzip", gz);
    printJsonLine(j);
    return 0;
}

}  // namespace cli
