// Embeds resources/mnist/mnist10k-{images-idx3,labels-idx1}-ubyte.gz into the library with the
// GNU assembler's .incbin, so core needs neither Qt's resource system (Qt 6.4's rcc has no
// BIG_RESOURCES for a 1.6 MB file in a static library) nor a run-time file. core/CMakeLists.txt
// passes the files' absolute paths as AELAB_MNIST_IMAGES_GZ / AELAB_MNIST_LABELS_GZ and lists them
// in OBJECT_DEPENDS, so regenerating a .gz recompiles this file. The paths must not contain '"'.
//
// Each blob is emitted as   <name>: <file bytes>   <name>_size: .quad <byte count>
// in a read-only section. The count is taken at a local label right after the bytes, not at
// <name>_size, which the alignment may push a few padding bytes further. .pushsection and
// .popsection leave the compiler's own section state untouched.
#include "Embedded.h"

#include "Idx.h"

#if !defined(AELAB_MNIST_IMAGES_GZ) || !defined(AELAB_MNIST_LABELS_GZ)
#error "AELAB_MNIST_IMAGES_GZ and AELAB_MNIST_LABELS_GZ must be set (core/CMakeLists.txt does this)"
#endif

#define AEL_INCBIN(sym, file)                                                    \
    asm(".pushsection .rodata.ael_embedded, \"a\", @progbits\n"                  \
        ".balign 16\n"                                                           \
        ".globl " #sym "\n"                                                      \
        ".hidden " #sym "\n"                                                     \
        ".type " #sym ", @object\n" #sym ":\n"                                   \
        ".incbin \"" file "\"\n"                                                 \
        ".L" #sym "_end:\n"                                                      \
        ".size " #sym ", .L" #sym "_end - " #sym "\n"                            \
        ".balign 8\n"                                                            \
        ".globl " #sym "_size\n"                                                 \
        ".hidden " #sym "_size\n"                                                \
        ".type " #sym "_size, @object\n" #sym "_size:\n"                         \
        ".quad .L" #sym "_end - " #sym "\n"                                      \
        ".size " #sym "_size, 8\n"                                               \
        ".popsection\n")

AEL_INCBIN(ael_mnist10k_images_gz, AELAB_MNIST_IMAGES_GZ);
AEL_INCBIN(ael_mnist10k_labels_gz, AELAB_MNIST_LABELS_GZ);

extern "C" {
extern const uint8_t ael_mnist10k_images_gz[];
extern const uint64_t ael_mnist10k_images_gz_size;
extern const uint8_t ael_mnist10k_labels_gz[];
extern const uint64_t ael_mnist10k_labels_gz_size;
}

namespace ael {

EmbeddedBlob embeddedMnistImagesGz() { return {ael_mnist10k_images_gz, size_t(ael_mnist10k_images_gz_size)}; }
EmbeddedBlob embeddedMnistLabelsGz() { return {ael_mnist10k_labels_gz, size_t(ael_mnist10k_labels_gz_size)}; }

Dataset embeddedMnist()
{
    const EmbeddedBlob img = embeddedMnistImagesGz(), lab = embeddedMnistLabelsGz();
    return loadIdxFromMemory(img.data, img.size, lab.data, lab.size, "MNIST (embedded)",
                             "embedded mnist10k-images-idx3-ubyte.gz", "embedded mnist10k-labels-idx1-ubyte.gz");
}

}  // namespace ael
