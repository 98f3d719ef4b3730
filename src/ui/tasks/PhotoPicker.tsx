// The photo input the image task screens share: pick a file or, on a phone or
// tablet, take a photo with the back camera.

export function PhotoPicker({ onPick }: { onPick: (file: File) => void }) {
  return (
    <label class="file-pick">
      Pick or take a photo…
      <input
        type="file"
        accept="image/*"
        capture="environment"
        data-testid="image-file"
        onChange={(event) => {
          const file = (event.currentTarget as HTMLInputElement).files?.[0];
          if (file) onPick(file);
        }}
      />
    </label>
  );
}
