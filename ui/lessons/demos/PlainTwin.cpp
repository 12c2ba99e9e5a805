#include "PlainTwin.h"

#include "core/train/Trainer.h"

#include <chrono>
#include <exception>

namespace plain_twin {

ael::TrainSettings plainSettings(const ael::TrainSettings &from, const ael::Architecture &a)
{
    ael::TrainSettings s = from;
    s.variant = a.code < a.input ? ael::Variant::Undercomplete : ael::Variant::Overcomplete;
    s.corruption.kind = ael::CorruptionKind::None;
    return s;
}

QString train(const ael::Architecture &arch, const ael::TrainSettings &settings, const ael::Dataset &data,
              const Budget &budget, const std::atomic<bool> &cancelled, const Publish &publish)
{
    ael::Architecture a = arch;
    a.variational = false;
    try {
        ael::Trainer trainer(a, plainSettings(settings, a), data, /*seed*/ 1);
        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        auto lastPublish = start;
        auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
        while (!cancelled && trainer.steps() < budget.maxSteps && seconds(Clock::now() - start) < budget.maxSeconds) {
            trainer.step();
            if (trainer.halted()) break;
            if (seconds(Clock::now() - lastPublish) >= budget.publishSeconds) {
                publish(std::make_shared<const ael::Model<float>>(trainer.model()), trainer.steps(), false);
                lastPublish = Clock::now();
            }
        }
        if (!cancelled) publish(std::make_shared<const ael::Model<float>>(trainer.model()), trainer.steps(), true);
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace plain_twin
