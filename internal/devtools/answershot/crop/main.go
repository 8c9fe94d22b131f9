// Command crop cuts a screenshot to its content: the rows at the bottom
// that are all the page's background go, a margin stays. It writes the
// PNG with the best compression, so the README's pictures stay small.
//
//	go run ./internal/devtools/answershot/crop IN.png OUT.png
package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
)

const margin = 16

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: crop IN.png OUT.png")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "crop:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("decode %s: %w", in, err)
	}
	b := img.Bounds()
	bg := img.At(b.Max.X-1, b.Max.Y-1)
	last := b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != bg {
				last = y
				break
			}
		}
	}
	rect := image.Rect(b.Min.X, b.Min.Y, b.Max.X, min(b.Max.Y, last+margin))
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return fmt.Errorf("%s: cannot crop this kind of image", in)
	}
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(o, sub.SubImage(rect)); err != nil {
		o.Close()
		return fmt.Errorf("encode %s: %w", out, err)
	}
	return o.Close()
}
