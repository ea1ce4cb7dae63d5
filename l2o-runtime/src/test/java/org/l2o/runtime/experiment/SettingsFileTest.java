package org.l2o.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DataFormatException;

class SettingsFileTest {

    @TempDir
    Path tmp;

    @Test
    void everyPresetReads() {
        for (String name : List.of("li-malik-2017", "li-malik-2017-quick", "rl-vs-supervised", "rl-vs-supervised-quick",
                "demo")) {
            LiMalik2017.Settings s = LiMalik2017.Settings.of(SettingsFile.of(name, Optional.empty()));
            assertTrue(!s.targets().isEmpty() && s.grids().keySet().containsAll(s.optimizers()), name);
        }
        assertEquals(400, LiMalik2017.Settings.full().steps());
        // the paper's five settings on four datasets and LeNet on MNIST and CIFAR-10 (l2o-dl4j's dl4j-network),
        // the hand-designed optimizers in the paper's order
        assertEquals(22, LiMalik2017.Settings.full().targets().size());
        assertEquals(List.of("dl4j-network", "dl4j-network"), LiMalik2017.Settings.full().targets().stream()
                .map(t -> t.cell().objective()).filter(o -> !o.equals("mlp-classifier")).toList());
        assertEquals(List.of("sgd", "momentum", "cg", "lbfgs", "adam", "adagrad", "rmsprop"),
                LiMalik2017.Settings.full().optimizers());
        assertNull(LiMalik2017.Settings.demo().bptt());
        assertEquals(8, LiMalik2016.Settings.full().iterations());
        assertEquals(0.12, LiMalik2016.Settings.quick().trainFraction(), 0.0);
    }

    @Test
    void aUsersFileReplacesThePresetsKeys() throws IOException {
        Path f = Files.writeString(tmp.resolve("mine.json"), "{\"steps\": 50, \"optimizers\": [\"adam\", \"adagrad\"], "
                + "\"targets\": [{\"dataset\": \"mnist\", \"cell\": \"c\", \"inputs\": 16, \"hidden\": 8, "
                + "\"batch\": 32, \"horizons\": 2}]}");
        LiMalik2017.Settings s = LiMalik2017.Settings.of(SettingsFile.of("li-malik-2017-quick", Optional.of(f)));
        assertEquals(50, s.steps());
        assertEquals(List.of("adam", "adagrad"), s.optimizers());
        assertEquals(new LiMalik2017.Target("mnist", new LiMalik2017.Cell("c", 16, 8, 32, 2)), s.targets().get(0));
        // untouched keys keep the preset's values
        assertEquals(LiMalik2017.Settings.quick().grids(), s.grids());
    }

    @Test
    void everyOptionalSettingOfThePaperPresetsCanBeSetFromAFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("pretrained.json"), "{\"pretrained\": [\"mnist-v2\"]}");
        for (String preset : List.of("li-malik-2017", "li-malik-2017-quick")) {
            assertEquals(List.of("mnist-v2"), LiMalik2017.Settings.of(SettingsFile.of(preset, Optional.of(f)))
                    .pretrained(), preset);
            assertEquals(List.of(), LiMalik2017.Settings.of(SettingsFile.of(preset, Optional.empty())).pretrained());
        }
    }

    @Test
    void badFilesAndValuesNameTheFileAndTheKey() throws IOException {
        Path unknown = Files.writeString(tmp.resolve("u.json"), "{\"stepz\": 5}");
        var e = assertThrows(ConfigurationException.class, () -> SettingsFile.of("demo", Optional.of(unknown)));
        assertTrue(e.getMessage().contains(unknown.toString()) && e.getMessage().contains("'stepz'"), e.getMessage());
        Path wrong = Files.writeString(tmp.resolve("w.json"), "{\"steps\": \"many\"}");
        var w = assertThrows(ConfigurationException.class,
                () -> LiMalik2017.Settings.of(SettingsFile.of("demo", Optional.of(wrong))));
        assertTrue(w.getMessage().contains("'steps'") && w.getMessage().contains(wrong.toString()), w.getMessage());
        Path negative = Files.writeString(tmp.resolve("n.json"), "{\"testSeeds\": 0}");
        assertThrows(ConfigurationException.class,
                () -> LiMalik2017.Settings.of(SettingsFile.of("demo", Optional.of(negative))));
        Path noGrid = Files.writeString(tmp.resolve("g.json"), "{\"optimizers\": [\"lbfgs\"]}");
        var g = assertThrows(ConfigurationException.class,
                () -> LiMalik2017.Settings.of(SettingsFile.of("demo", Optional.of(noGrid))));
        assertTrue(g.getMessage().contains("'lbfgs'"), g.getMessage());
        Path broken = Files.writeString(tmp.resolve("b.json"), "{\"steps\": ");
        var b = assertThrows(DataFormatException.class, () -> SettingsFile.of("demo", Optional.of(broken)));
        assertTrue(b.getMessage().startsWith(broken.toString()), b.getMessage());
        var missing = assertThrows(DataFormatException.class,
                () -> SettingsFile.of("demo", Optional.of(tmp.resolve("none.json"))));
        assertTrue(missing.getMessage().contains("none.json"), missing.getMessage());
    }

    @Test
    void theLearnedRowsAndTheOracleRead() {
        LiMalik2017.Settings full = LiMalik2017.Settings.full();
        assertEquals(List.of("es", "schedule"), full.learned().stream().map(LiMalik2017.LearnedRow::name).toList());
        assertEquals(List.of("learned", "schedule"), full.learned().stream().map(LiMalik2017.LearnedRow::role).toList());
        assertEquals("adagrad", full.learned().get(0).nominalFrom());
        assertEquals(List.of("adagrad", "adam"), full.oracle().optimizers());
        assertTrue(LiMalik2017.Settings.demo().learned().isEmpty());
        assertNull(LiMalik2017.Settings.demo().oracle());
        assertEquals(List.of("mnist-v1", "mnist-v3"), LiMalik2017.Settings.demo().pretrained());
    }

    /** Issue 16: one policy class, three trainers, one budget; and the 2016 problems' own learned rows. */
    @Test
    void theEqualBudgetRowsRead() throws IOException {
        LiMalik2017.Settings rvs = LiMalik2017.Settings.of(SettingsFile.of("rl-vs-supervised", Optional.empty()));
        assertEquals(List.of("gps-groups", "bptt", "pes"), rvs.learned().stream().map(LiMalik2017.LearnedRow::trainer)
                .toList());
        assertTrue(rvs.learned().stream().allMatch(l -> l.innerSteps() == 200_000 && l.policy().equals("mlp-lopt")
                && l.objectiveParams().equals(rvs.learned().get(0).objectiveParams())), rvs.learned().toString());
        assertEquals("init-lr", rvs.learned().get(0).trainerLr());
        assertEquals(List.of("48-48-b64", "48-48-b64-2T", "48-48-b64-5T", "48-48-b64-10T", "48-48-b10", "100-200-b64"),
                rvs.targets().stream().filter(t -> t.dataset().equals("mnist")).map(t -> t.cell().name()).toList());
        assertEquals(List.of("gps-lopt", "pes-lopt"), LiMalik2016.Settings.full().learned().stream()
                .map(LiMalik2016.Learned::name).toList());
        Path f = Files.writeString(tmp.resolve("bad16.json"), "{\"learned\": [{\"name\": \"x\", \"trainer\": \"pes\", "
                + "\"trainerParams\": {}, \"policy\": \"mlp-lopt\", \"policyParams\": {}, \"features\": \"lopt\", "
                + "\"nominalFrom\": \"rmsprop\"}]}");
        var e = assertThrows(ConfigurationException.class,
                () -> LiMalik2016.Settings.of(SettingsFile.of("li-malik-2016-quick", Optional.of(f))));
        assertTrue(e.getMessage().contains("nominalFrom 'rmsprop'") && e.getMessage().contains("adagrad"),
                e.getMessage());
    }

    /** docs/reproductions.md's comparison on the whole task family: the 100k file's rows on mlp-tasks unpinned. */
    @Test
    void theFamilyComparisonChangesOnlyTheTrainingTasks() {
        java.util.function.Function<String, LiMalik2017.Settings> rvs = file -> LiMalik2017.Settings.of(
                SettingsFile.of("rl-vs-supervised", Optional.of(Path.of("../docs/settings/" + file))));
        LiMalik2017.Settings pinned = rvs.apply("rl-vs-supervised-100k.json");
        LiMalik2017.Settings family = rvs.apply("rl-vs-supervised-family.json");
        assertEquals(pinned.targets(), family.targets());
        assertEquals(pinned.learned().size(), family.learned().size());
        for (int i = 0; i < pinned.learned().size(); i++) {
            LiMalik2017.LearnedRow p = pinned.learned().get(i);
            LiMalik2017.LearnedRow f = family.learned().get(i);
            assertEquals(Map.of("dataset", "mnist", "reparameterise", "0"), f.objectiveParams());
            assertEquals(new LiMalik2017.LearnedRow(p.name(), p.role(), p.trainer(), p.trainerParams(), p.policy(),
                    p.policyParams(), p.features(), p.objective(), f.objectiveParams(), p.trainObjectives(),
                    p.nominalFrom(), p.trainerLr(), p.innerSteps(), p.ablationOf(), p.validationObjective(),
                    p.validationObjectiveParams()), f);
        }
    }

    /** docs/reproductions.md's 8-condition GPS row: the preset's rows and its GPS row on 8 conditions. */
    @Test
    void theEightConditionGpsRowIsThePresetsOnMoreConditions() {
        LiMalik2017.Settings preset = LiMalik2017.Settings.of(SettingsFile.of("rl-vs-supervised", Optional.empty()));
        LiMalik2017.Settings eight = LiMalik2017.Settings.of(SettingsFile.of("rl-vs-supervised",
                Optional.of(Path.of("../docs/settings/rl-vs-supervised-gps8.json"))));
        LiMalik2017.LearnedRow g = preset.learned().get(0);
        assertEquals(List.of(g, new LiMalik2017.LearnedRow("gps-lopt-8", g.role(), g.trainer(), g.trainerParams(),
                g.policy(), g.policyParams(), g.features(), g.objective(), g.objectiveParams(), 8, g.nominalFrom(),
                g.trainerLr(), g.innerSteps(), g.ablationOf(), g.validationObjective(), g.validationObjectiveParams()),
                preset.learned().get(1), preset.learned().get(2)), eight.learned());
        assertEquals(preset.targets(), eight.targets());
    }

    @Test
    void badLearnedRowsAreRefusedWithTheirName() throws IOException {
        String row = "{\"name\": \"%s\", \"role\": \"%s\", \"trainer\": \"pes\", \"trainerParams\": {}, "
                + "\"policy\": \"mlp-lopt\", \"policyParams\": {}, \"features\": \"lopt\", \"objective\": "
                + "\"mlp-tasks\", \"objectiveParams\": {}, \"trainObjectives\": 10, \"nominalFrom\": \"%s\"}";
        for (String[] bad : new String[][] {{"gps", "learned", "adagrad", "used twice"},
                {"x", "best", "adagrad", "role 'best'"}, {"x", "learned", "nesterov", "'nesterov'"},
                {"X Y", "learned", "adagrad", "'X Y'"}}) {
            Path f = Files.writeString(tmp.resolve("bad.json"), "{\"learned\": [" + String.format(row, bad[0], bad[1],
                    bad[2]) + "]}");
            var e = assertThrows(ConfigurationException.class,
                    () -> LiMalik2017.Settings.of(SettingsFile.of("li-malik-2017-quick", Optional.of(f))));
            assertTrue(e.getMessage().contains(bad[3]), e.getMessage());
        }
        // an ablation names another learned row as its reference
        for (String reference : new String[] {"x", "pes"}) {
            Path f = Files.writeString(tmp.resolve("ablation.json"), "{\"learned\": [" + String.format(row, "x",
                    "learned", "adagrad").replaceFirst("}$", ", \"ablationOf\": \"" + reference + "\"}") + "]}");
            var e = assertThrows(ConfigurationException.class,
                    () -> LiMalik2017.Settings.of(SettingsFile.of("li-malik-2017-quick", Optional.of(f))));
            assertTrue(e.getMessage().contains("'x' is an ablation of '" + reference + "'"), e.getMessage());
        }
        // validation parameters without the objective they belong to
        Path orphan = Files.writeString(tmp.resolve("orphan.json"), "{\"learned\": [" + String.format(row, "x",
                "learned", "adagrad").replaceFirst("}$", ", \"validationObjectiveParams\": {\"hidden\": \"48\"}}")
                + "]}");
        var e = assertThrows(ConfigurationException.class,
                () -> LiMalik2017.Settings.of(SettingsFile.of("li-malik-2017-quick", Optional.of(orphan))));
        assertTrue(e.getMessage().contains("'x': validationObjectiveParams without validationObjective"),
                e.getMessage());
        assertEquals(List.of("base", "base", "base", "base", "base"), documented("lopt-ablation.json").learned().stream()
                .map(LiMalik2017.LearnedRow::ablationOf).filter(java.util.Objects::nonNull).toList());
    }

    /** The li-malik-2017 settings of a file in docs/settings (the commands the docs show). */
    private static LiMalik2017.Settings documented(String file) {
        return LiMalik2017.Settings.of(SettingsFile.of("li-malik-2017",
                Optional.of(Path.of("../docs/settings/" + file))));
    }

    @Test
    void thePresetTrainsTheRecipeOfTheShippedMnistV3() {
        // docs/learned-optimizers.md's third recipe (the command that made learned:mnist-v3) and the
        // preset's es row must not drift apart: the same row but for its name
        LiMalik2017.LearnedRow documented = documented("lopt-long-episodes.json").learned().get(0);
        LiMalik2017.LearnedRow preset = LiMalik2017.Settings.full().learned().get(0);
        assertEquals("long", documented.name());
        assertEquals("es", preset.name());
        assertEquals(new LiMalik2017.LearnedRow("es", documented.role(), documented.trainer(),
                documented.trainerParams(), documented.policy(), documented.policyParams(), documented.features(),
                documented.objective(), documented.objectiveParams(), documented.trainObjectives(),
                documented.nominalFrom(), documented.trainerLr(), documented.innerSteps(), documented.ablationOf()),
                preset);
        assertEquals("1000", preset.trainerParams().get("max-length"));
        // the logistic-regression settings of docs/reproductions.md read as well
        assertEquals(List.of("es-lopt-m"), LiMalik2016.Settings.of(SettingsFile.of("li-malik-2016",
                Optional.of(Path.of("../docs/settings/li-malik-2016-es.json")))).learned().stream()
                .map(LiMalik2016.Learned::name).toList());
    }

    @Test
    void theValidationExperimentChangesOnlyWhereTheThirdRecipesCandidatesAreScored() {
        LiMalik2017.LearnedRow recipe = LiMalik2017.Settings.full().learned().get(0);
        LiMalik2017.LearnedRow validated = documented("lopt-validate-on-training-net.json").learned().get(0);
        assertEquals("mlp-classifier", validated.validationObjective());
        assertEquals("48", validated.validationObjectiveParams().get("hidden"));
        assertNull(recipe.validationObjective());
        assertEquals(new LiMalik2017.LearnedRow("long-val", recipe.role(), recipe.trainer(), recipe.trainerParams(),
                recipe.policy(), recipe.policyParams(), recipe.features(), recipe.objective(), recipe.objectiveParams(),
                recipe.trainObjectives(), recipe.nominalFrom(), recipe.trainerLr(), recipe.innerSteps(),
                recipe.ablationOf(), validated.validationObjective(), validated.validationObjectiveParams()), validated);
    }

    @Test
    void theWeightedFamilyChangesOnlyTheFourthRecipesWidthsAndMinibatches() {
        // docs/learned-optimizers.md's weighted-family runs: mnist-v4's row (its settings file) with width 48
        // and minibatch 64 drawn half the time, evaluated beside tuned AdaGrad alone (no oracle, no other rows)
        LiMalik2017.LearnedRow fourth = documented("lopt-validate-on-training-net.json").learned().get(0);
        LiMalik2017.Settings weighted = documented("lopt-weighted-family.json");
        LiMalik2017.LearnedRow row = weighted.learned().get(0);
        Map<String, String> family = new java.util.TreeMap<>(fourth.objectiveParams());
        family.put("widths", "48,48,48,48,32,64,100,200");
        family.put("batches", "64,64,64,10,32,128");
        assertEquals(new LiMalik2017.LearnedRow("weighted", fourth.role(), fourth.trainer(), fourth.trainerParams(),
                fourth.policy(), fourth.policyParams(), fourth.features(), fourth.objective(), family,
                fourth.trainObjectives(), fourth.nominalFrom(), fourth.trainerLr(), fourth.innerSteps(),
                fourth.ablationOf(), fourth.validationObjective(), fourth.validationObjectiveParams()), row);
        assertEquals(List.of("adagrad"), weighted.optimizers());
        assertNull(weighted.oracle());
        assertEquals(documented("lopt-long-episodes.json").targets(), weighted.targets());
    }

    @Test
    void theShippedMnistV4CameFromItsDocumentedSettings() throws IOException {
        // learned:mnist-v4 is the learned row of docs/settings/lopt-validate-on-training-net.json (seed 1): its
        // trainer parameters, training family and validation objective as the file states them
        LiMalik2017.LearnedRow row = documented("lopt-validate-on-training-net.json").learned().get(0);
        var provenance = org.l2o.runtime.io.LearnedOptimizerFile.read(
                org.l2o.runtime.run.LearnedOptimizers.locate("mnist-v4")).provenance();
        row.trainerParams().forEach((k, v) -> assertEquals(v, provenance.trainerParameters().get(k), k));
        assertEquals(row.objectiveParams(), provenance.objectiveParameters());
        assertEquals(row.validationObjective() + " " + new java.util.TreeMap<>(row.validationObjectiveParams()),
                provenance.environment().get("validation.objective"));
        assertEquals(1, provenance.seed());
        assertEquals("10", provenance.budget().get("kept_iteration"));
    }

    @Test
    void theDocumentedFullRunIsThePresetWithoutItsConvSettings() {
        // docs/learned-optimizers.md times the preset on its MLP settings with this file: the preset's
        // targets, in its order, but for the LeNet ones, and every other choice the preset's own
        LiMalik2017.Settings full = LiMalik2017.Settings.full();
        LiMalik2017.Settings documented = documented("li-malik-2017-mlp.json");
        List<LiMalik2017.Target> mlp = full.targets().stream()
                .filter(t -> t.cell().objective().equals("mlp-classifier")).toList();
        assertTrue(mlp.size() < full.targets().size(), "the preset has conv settings to leave out");
        assertEquals(mlp, documented.targets());
        assertEquals(full.learned(), documented.learned());
        assertEquals(full.pretrained(), documented.pretrained());
    }
}
