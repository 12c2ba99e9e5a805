#include "ui/lessons/LessonDemo.h"

#include "ui/lessons/demos/ContractionCloudDemo.h"
#include "ui/lessons/demos/DenoiseVsPlainDemo.h"
#include "ui/lessons/demos/NoiseCopyDemo.h"
#include "ui/lessons/demos/OutOfDistributionDemo.h"
#include "ui/lessons/demos/PpcaVsVaeDemo.h"

LessonDemo *makeLessonDemo(const QString &id, QWidget *parent)
{
    if (id == QLatin1String("noise-copy")) return new NoiseCopyDemo(parent);
    if (id == QLatin1String("denoise-vs-plain")) return new DenoiseVsPlainDemo(parent);
    if (id == QLatin1String("contraction-cloud")) return new ContractionCloudDemo(parent);
    if (id == QLatin1String("ppca-vs-vae")) return new PpcaVsVaeDemo(parent);
    if (id == QLatin1String("out-of-distribution")) return new OutOfDistributionDemo(parent);
    return nullptr;
}
