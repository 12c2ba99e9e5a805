// aelab-cli export: a data set as IDX files.
#include "Commands.h"
#include "Common.h"

#include "core/data/Catalog.h"
#include "core/data/Embedded.h"
#include "core/data/Idx.h"
#include "core/io/SafeFile.h"

#include <iostream>

namespace cli {

using namespace ael;

namespace {

int runExport(const CLI::App &a)
{
    const std::string id = text(a, "data", "mnist");
    const std::string split = text(a, "split", "all");
    if (!given(a, "images")) fail("images", "required: the images file to write");
    if (!given(a, "labels")) fail("labels", "required: the labels file to write");
    const std::string images = outputPath(a, "images", {}), labels = outputPath(a, "labels", {});
    if (file::samePath(images, labels))
        fail("labels", "names the same file as --images (" + images + "); the labels would overwrite the images");
    const bool gz = hasSuffix(images, ".gz");
    if (gz != hasSuffix(labels, ".gz")) fail("labels", "name both files .gz or neither (one gzip setting for both)");

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

}  // namespace

Run addExport(CLI::App &app)
{
    CLI::App *c = addCommand(
        app, "export", "--data mnist|fashion --images OUT --labels OUT [--split train|test|all]",
        "write a data set as IDX files (gzip'd when the name ends in .gz)",
        "Writes a data set as an IDX images file and an IDX labels file, gzip'd when the names end in .gz.\n"
        "The embedded MNIST digits in file order (all) or the halves of the app's stratified split.");
    value(*c, "data", "mnist|fashion", "which data set (default mnist)")->check(oneOf({"mnist", "fashion"}));
    value(*c, "images", "OUT", "images file to write (idx3)");
    value(*c, "labels", "OUT", "labels file to write (idx1)");
    value(*c, "split", "train|test|all", "which images (default all)")->check(oneOf({"train", "test", "all"}));
    return [c] { return runExport(*c); };
}

}  // namespace cli
