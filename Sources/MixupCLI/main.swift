// `mixup`: list and run the built-in recipes. See `mixup --help`.
import MixupRecipes

RecipeCommand.main(recipes: BuiltinRecipes.all)
